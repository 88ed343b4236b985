package dev.netwarden.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages' sources keep the two rules that make hostile names harmless and the CSP workable: no
 * JavaScript turns text into markup (innerHTML and its relatives, document.write, eval), and no HTML
 * file has inline script, inline style or event-handler attributes. WebUiIT shows the result in a
 * browser; this catches a new page that breaks the rule before any browser runs.
 */
class WebPagesSourceTest {
    private static final Path WEB = Path.of("src/main/resources/web");
    private static final Pattern MARKUP_FROM_TEXT = Pattern.compile(
            "\\.(innerHTML|outerHTML)\\s*[+]?=|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new Function\\s*\\(|createContextualFragment|DOMParser");
    private static final Pattern INLINE = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>|\\sstyle\\s*=|\\son[a-z]+\\s*=|javascript:",
            Pattern.CASE_INSENSITIVE);

    @Test
    void noScriptTurnsTextIntoMarkup() throws IOException {
        List<Path> scripts = files(".js");
        assertThat(scripts).as("the pages' modules").hasSizeGreaterThan(10);
        for (Path js : scripts) {
            String code = withoutComments(Files.readString(js));
            assertThat(MARKUP_FROM_TEXT.matcher(code).find()).as(js + " makes markup from text").isFalse();
        }
    }

    @Test
    void htmlHasNoInlineScriptStyleOrHandlers() throws IOException {
        List<Path> pages = files(".html");
        assertThat(pages).as("login.html and ui/index.html").hasSizeGreaterThanOrEqualTo(2);
        for (Path html : pages) {
            var m = INLINE.matcher(Files.readString(html));
            boolean found = m.find();
            assertThat(found).as(html + " has inline code or style: " + (found ? m.group() : "")).isFalse();
        }
    }

    private static List<Path> files(String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(WEB)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** Drops // line comments and block comments, so that a comment naming innerHTML is not a finding. */
    private static String withoutComments(String code) {
        return code.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)^\\s*//.*$", "");
    }
}
