package dev.netwarden.top;

import dev.netwarden.firewall.Action;
import dev.netwarden.firewall.PromptScope;
import dev.netwarden.firewall.RuleDuration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ViewStateTest {
    @Test
    void panesSwitchWithTabAndDigits() {
        ViewState v = new ViewState();
        assertThat(v.focus()).isEqualTo(Pane.PROCESSES);
        assertThat(v.key("TAB")).isEqualTo(ViewState.Effect.REDRAW);
        assertThat(v.focus()).isEqualTo(Pane.CONNECTIONS);
        v.key("TAB");
        v.key("TAB");
        assertThat(v.focus()).isEqualTo(Pane.PROCESSES);
        v.key("3");
        assertThat(v.focus()).isEqualTo(Pane.HOSTS);
        v.key("2");
        assertThat(v.focus()).isEqualTo(Pane.CONNECTIONS);
    }

    @Test
    void sortCyclesThroughTheDefaultAndEveryColumnPerPane() {
        ViewState v = new ViewState();
        assertThat(v.sort(Pane.PROCESSES)).isEqualTo(-1);
        v.key("s");
        assertThat(v.sort(Pane.PROCESSES)).isZero();
        v.key(">");
        assertThat(v.sort(Pane.PROCESSES)).isEqualTo(1);
        v.key("r");
        assertThat(v.reversed(Pane.PROCESSES)).isTrue();
        v.key("<");
        assertThat(v.sort(Pane.PROCESSES)).isZero();
        assertThat(v.reversed(Pane.PROCESSES)).as("a new column starts unreversed").isFalse();
        v.key("<");
        v.key("<");
        assertThat(v.sort(Pane.PROCESSES)).as("wraps to the last column").isEqualTo(Pane.PROCESS_COLUMNS.size() - 1);
        v.key("2");
        assertThat(v.sort(Pane.CONNECTIONS)).as("each pane has its own").isEqualTo(-1);
    }

    @Test
    void filterIsTypedLiveKeptWithEnterAndRestoredWithEscape() {
        ViewState v = new ViewState();
        v.key("/");
        assertThat(v.mode()).isEqualTo(ViewState.Mode.FILTER);
        v.key("c");
        v.key("u");
        assertThat(v.filter()).isEqualTo("cu");
        assertThat(v.key("q")).as("q is text while typing").isEqualTo(ViewState.Effect.REDRAW);
        v.key("BACKSPACE");
        v.key("ENTER");
        assertThat(v.filter()).isEqualTo("cu");
        assertThat(v.mode()).isEqualTo(ViewState.Mode.NORMAL);
        v.key("/");
        v.key("x");
        v.key("ESC");
        assertThat(v.filter()).isEqualTo("cu");
        v.key("ESC");
        assertThat(v.filter()).as("Esc clears the filter").isEmpty();
        v.key("/");
        assertThat(v.key("\u001b")).isEqualTo(ViewState.Effect.NONE); // a raw control char is not text
    }

    @Test
    void pauseDnsAndQuit() {
        ViewState v = new ViewState();
        v.key(" ");
        assertThat(v.paused()).isTrue();
        v.key(" ");
        assertThat(v.paused()).isFalse();
        v.key("d");
        assertThat(v.showDns()).isFalse();
        assertThat(v.key("z")).isEqualTo(ViewState.Effect.NONE);
        assertThat(v.key("q")).isEqualTo(ViewState.Effect.QUIT);
    }

    @Test
    void aWaitingQuestionIsAnsweredWithScopeAndDuration() {
        ViewState v = new ViewState();
        v.key("a");
        assertThat(v.mode()).as("nothing waits").isEqualTo(ViewState.Mode.NORMAL);
        assertThat(v.bottomLine()).contains("no firewall question");

        v.showPrompt(12);
        v.key("x");
        assertThat(v.mode()).isEqualTo(ViewState.Mode.ANSWER);
        assertThat(v.bottomLine()).startsWith("deny [12] scope");
        for (char c : "exe always".toCharArray()) {
            v.key(String.valueOf(c));
        }
        assertThat(v.key("ENTER")).isEqualTo(ViewState.Effect.ANSWER);
        assertThat(v.answeringId()).isEqualTo(12);
        var a = v.takeAnswer();
        assertThat(a.action()).isEqualTo(Action.DENY);
        assertThat(a.scope()).isEqualTo(PromptScope.EXE);
        assertThat(a.duration()).isEqualTo(RuleDuration.ALWAYS);

        v.key("a");
        assertThat(v.key("ENTER")).as("empty: the defaults").isEqualTo(ViewState.Effect.ANSWER);
        assertThat(v.takeAnswer()).satisfies(d -> {
            assertThat(d.action()).isEqualTo(Action.ALLOW);
            assertThat(d.scope()).isEqualTo(PromptScope.DESTINATION);
            assertThat(d.duration()).isEqualTo(RuleDuration.ONCE);
        });

        v.key("a");
        for (char c : "forever".toCharArray()) {
            v.key(String.valueOf(c));
        }
        assertThat(v.key("ENTER")).as("a bad answer is not sent").isEqualTo(ViewState.Effect.REDRAW);
        assertThat(v.bottomLine()).contains("\"forever\" is neither a scope nor a duration");
    }
}
