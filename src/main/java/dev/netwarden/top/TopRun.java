package dev.netwarden.top;

import dev.netwarden.conns.Services;
import dev.netwarden.conns.format.TerminalText;
import dev.netwarden.live.LiveFlow;
import dev.netwarden.prompt.AnswerLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One run of {@code netwarden top}: picks the source ({@link FlowFeed}), then refreshes every interval
 * — flows, rates and totals ({@link Tally}), the panes' rows ({@link Rows}) — and shows them on the
 * full-screen view ({@link TerminalView}) or prints them ({@code --raw}, {@code --json}).
 */
public final class TopRun {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;

    /** How the refreshes are shown. */
    public enum Output { SCREEN, RAW, JSON }

    /**
     * @param count          refreshes before exiting; 0 runs until quit
     * @param socket         the daemon's control socket
     * @param socketExplicit the user named the socket (or data dir): try it even if the file is missing
     */
    public record Options(Duration interval, Duration window, long count, Output output, Path socket, boolean socketExplicit) {
        public Options {
            Objects.requireNonNull(interval, "interval is null");
            Objects.requireNonNull(window, "window is null");
            Objects.requireNonNull(output, "output is null");
            Objects.requireNonNull(socket, "socket is null");
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("--interval must be at least 100ms");
            }
            if (window.compareTo(interval) < 0) {
                throw new IllegalArgumentException("--window must be at least the interval (" + HeaderText.seconds(interval) + ")");
            }
            if (count < 0) {
                throw new IllegalArgumentException("--count must be 0 (no limit) or more");
            }
        }
    }

    private final Options options;
    private final Tally tally;
    private final Services services;

    private TopRun(Options options) {
        this.options = options;
        this.tally = new Tally(options.window());
        this.services = loadServices();
    }

    private static Services loadServices() {
        try {
            return Services.load(Services.ETC_SERVICES);
        } catch (IOException e) {
            return Services.builtin();
        }
    }

    public static int run(Options options, PrintStream out, PrintStream err) throws InterruptedException {
        TopRun run = new TopRun(options);
        try (FlowFeed feed = FlowFeed.open(options.socket(), options.socketExplicit())) {
            return switch (options.output()) {
                case SCREEN -> run.screen(feed, err);
                case RAW, JSON -> run.print(feed, out);
            };
        } catch (IOException e) {
            err.println("netwarden top: " + TerminalText.sanitize(e.getMessage()));
            return EXIT_FAILURE;
        }
    }

    private Tally.Sample sample(FlowFeed feed) throws IOException {
        List<LiveFlow> flows = feed.flows();
        return tally.update(flows, System.currentTimeMillis());
    }

    private int print(FlowFeed feed, PrintStream out) throws IOException, InterruptedException {
        JsonOutput json = new JsonOutput(out, options.interval(), options.window());
        RawOutput raw = new RawOutput(out);
        long next = System.nanoTime();
        for (long n = 0; options.count() == 0 || n < options.count(); n++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            next += options.interval().toNanos();
            Tally.Sample s = sample(feed);
            Rows rows = Rows.of(s, true, services);
            if (options.output() == Output.JSON) {
                json.write(s, rows, feed.fromDaemon(), feed.description());
            } else {
                raw.write(s.atMillis(), rows, feed.description());
            }
            if (out.checkError()) {
                return EXIT_OK; // the reader went away (a pipe to head): done
            }
        }
        return EXIT_OK;
    }

    private int screen(FlowFeed feed, PrintStream err) throws IOException {
        ViewState view = new ViewState();
        try (TerminalView term = TerminalView.open(); PromptWatch prompts = new PromptWatch(feed.socket())) {
            Tally.Sample sample = sample(feed);
            long refreshes = 1;
            long next = System.currentTimeMillis() + options.interval().toMillis();
            if (feed.fromDaemon()) {
                prompts.refresh();
            }
            draw(term, view, sample, feed, prompts);
            while (true) {
                long now = System.currentTimeMillis();
                if (now >= next) {
                    if (options.count() > 0 && refreshes >= options.count()) {
                        return EXIT_OK;
                    }
                    if (!view.paused()) {
                        sample = sample(feed);
                    }
                    refreshes++;
                    if (feed.fromDaemon()) {
                        prompts.refresh();
                    }
                    next += options.interval().toMillis();
                    if (next <= now) {
                        next = now + options.interval().toMillis(); // fell behind (suspended): no burst
                    }
                    draw(term, view, sample, feed, prompts);
                    continue;
                }
                if (term.takeResize()) {
                    draw(term, view, sample, feed, prompts);
                }
                // Bounded so a resize is redrawn within a quarter second even while no key comes.
                String key = term.readKey(Math.min(250, next - now));
                if (key == null) {
                    continue;
                }
                if (key.equals("EOF")) {
                    return EXIT_OK;
                }
                switch (view.key(key)) {
                    case QUIT -> {
                        return EXIT_OK;
                    }
                    case ANSWER -> {
                        AnswerLine.Answer a = view.takeAnswer();
                        view.say(prompts.answer(view.answeringId(), a));
                        draw(term, view, sample, feed, prompts);
                    }
                    case REDRAW -> draw(term, view, sample, feed, prompts);
                    case NONE -> { }
                }
            }
        }
    }

    private void draw(TerminalView term, ViewState view, Tally.Sample sample, FlowFeed feed, PromptWatch prompts) {
        Rows rows = Rows.of(sample, view.showDns(), services);
        view.showPrompt(feed.fromDaemon() ? prompts.firstId() : -1);
        String header = HeaderText.of(feed.label(), feed.reason(), rows, view, options.window(), sample.atMillis());
        term.draw(Screen.compose(view, rows, header, feed.fromDaemon() ? prompts.banner() : null, term.columns(), term.rows()));
    }
}
