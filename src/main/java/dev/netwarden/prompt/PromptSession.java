package dev.netwarden.prompt;

import dev.netwarden.daemon.control.ControlClient;
import dev.netwarden.conns.format.TerminalText;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The interactive loop: wait for the daemon's pending prompts (long-poll), show the oldest one not yet
 * skipped, read one answer line, send it, repeat. Ends at end of input or on {@code q}.
 *
 * <p>Why one question at a time and line input: it works the same in any terminal, over SSH and under
 * a script that pipes answers in; the daemon keeps every other question (and its held packets) pending
 * meanwhile, each with its own timeout, so nothing is decided by the screen being busy.
 */
public final class PromptSession {
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** How long one wait for new questions lasts while idle: also how fast q or end of input is noticed then. */
    static final long WAIT_MILLIS = 1_000;
    private static final String END_OF_INPUT = new String("end of input");

    private final ControlClient client;
    private final BufferedReader in;
    private final PrintWriter out;
    private final Set<Long> skipped = new HashSet<>();
    /** Lines typed, read on their own thread so that q (or end of input) counts even while no question is shown. */
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    public PromptSession(ControlClient client, BufferedReader in, PrintWriter out) {
        this.client = Objects.requireNonNull(client, "client is null");
        this.in = Objects.requireNonNull(in, "in is null");
        this.out = Objects.requireNonNull(out, "out is null");
    }

    /** Runs until end of input or quit; returns 0, or 1 when prompts are off. */
    public int run() throws IOException, InterruptedException {
        Thread reader = Thread.ofPlatform().daemon().name("nw-prompt-input").start(this::readInput);
        try {
            return loop();
        } finally {
            reader.interrupt();
        }
    }

    private void readInput() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the terminal went away: same as end of input
        }
        lines.add(END_OF_INPUT);
    }

    private int loop() throws IOException, InterruptedException {
        long version = -1;
        boolean saidWaiting = false;
        while (true) {
            ObjectNode request = ControlClient.request("prompts-wait");
            request.put("after", version);
            request.put("timeout_ms", version < 0 ? 0 : WAIT_MILLIS);
            JsonNode reply = checked(client.call(request, CALL_TIMEOUT));
            if (!reply.path("enabled").asBoolean()) {
                out.println("prompts are off: the daemon is not at the intercept level or firewall.default_action is not prompt");
                return 1;
            }
            version = reply.path("version").asLong();
            JsonNode next = null;
            for (JsonNode p : reply.path("prompts")) {
                if (!skipped.contains(p.path("id").asLong())) {
                    next = p;
                    break;
                }
            }
            if (next == null) {
                skipped.clear(); // everything shown was skipped: show them again when something changes
                if (!saidWaiting) {
                    out.println("waiting for questions (end of input or q to quit)");
                    out.flush();
                    saidWaiting = true;
                }
                for (String typed; (typed = lines.poll()) != null; ) {
                    if (typed == END_OF_INPUT || AnswerLine.parse(typed) instanceof AnswerLine.Quit) {
                        return 0;
                    }
                }
                continue;
            }
            saidWaiting = false;
            PromptText.lines(next).forEach(out::println);
            out.println("  " + AnswerLine.HELP);
            out.print("> ");
            out.flush();
            String typed = lines.take();
            AnswerLine line = AnswerLine.parse(typed == END_OF_INPUT ? null : typed);
            switch (line) {
                case AnswerLine.Quit q -> {
                    return 0;
                }
                case AnswerLine.Skip s -> skipped.add(next.path("id").asLong());
                case AnswerLine.Invalid bad -> out.println(bad.message());
                case AnswerLine.Answer a -> answer(next.path("id").asLong(), a);
            }
        }
    }

    /** One pending question (a prompt object of the daemon's JSON) as escaped terminal lines. */
    public static java.util.List<String> describe(JsonNode prompt) {
        return PromptText.lines(prompt);
    }

    /** The control request that answers question {@code id} with {@code a} (the prompt-answer op). */
    public static ObjectNode answerRequest(long id, AnswerLine.Answer a) {
        ObjectNode request = ControlClient.request("prompt-answer");
        request.put("id", id);
        request.put("action", a.action().label());
        request.put("scope", a.scope().label());
        request.put("duration", a.duration().label());
        return request;
    }

    private void answer(long id, AnswerLine.Answer a) throws IOException {
        JsonNode reply = client.call(answerRequest(id, a), CALL_TIMEOUT);
        if (!reply.path("ok").asBoolean()) {
            out.println("not answered: " + TerminalText.sanitize(reply.path("error").asString("")));
            return;
        }
        JsonNode rule = reply.get("rule_id");
        out.println(a.action().label() + (rule == null || rule.isNull() ? " (once)" : ", rule " + TerminalText.sanitize(rule.asString())));
    }

    private static JsonNode checked(JsonNode reply) throws IOException {
        if (!reply.path("ok").asBoolean()) {
            throw new IOException("the daemon refused: " + reply.path("error").asString(""));
        }
        return reply;
    }
}
