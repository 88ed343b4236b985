package dev.netwarden.live;

import java.io.IOException;
import java.util.List;

/** Where the live view comes from: the daemon's flow tracker, or {@code top}'s own scan without a daemon. */
@FunctionalInterface
public interface LiveFlowSource {
    /** The connections open now, in no particular order; a fresh list the caller may keep. */
    List<LiveFlow> liveFlows() throws IOException;
}
