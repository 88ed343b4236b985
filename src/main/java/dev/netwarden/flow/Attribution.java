package dev.netwarden.flow;

import dev.netwarden.process.ProcessSnapshot;
import java.util.Objects;

/**
 * Who is behind a connection: either a process, or an honest "unknown" with the reason. Never a
 * guess: a connection whose owner could not be established is recorded as unknown.
 */
public record Attribution(ProcessSnapshot process, String unknownReason) {

    public Attribution {
        if ((process == null) == (unknownReason == null)) {
            throw new IllegalArgumentException("an attribution is either a process or a reason, not both or neither");
        }
    }

    public static Attribution of(ProcessSnapshot process) {
        return new Attribution(Objects.requireNonNull(process, "process is null"), null);
    }

    public static Attribution unknown(String reason) {
        return new Attribution(null, Objects.requireNonNull(reason, "reason is null"));
    }

    public boolean isKnown() {
        return process != null;
    }
}
