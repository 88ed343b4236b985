package dev.netwarden.web;

import dev.netwarden.firewall.PromptBroker;
import dev.netwarden.live.FlowEventBus;
import dev.netwarden.live.LiveFlowSource;
import dev.netwarden.lists.BlockLists;
import dev.netwarden.socket.InetEndpoint;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the web server reads and changes of the daemon, named by what it is rather than by which
 * service holds it: the daemon wires its services in ({@code daemon.WebService}); tests wire real
 * parts made in process (a live source over fixed flows, a real SQLite history, real rule files).
 */
public interface DaemonParts {
    /** The netwarden version, for {@code /api/health}. */
    String version();

    /** What the control op {@code status} answers (version, level, pid, uptime, services with stats). */
    JsonNode status();

    /** The connections open now. */
    LiveFlowSource live();

    /** Every flow event of the daemon (the live stream subscribes here). */
    FlowEventBus events();

    /** The data dir: history and the UI token. */
    Path dataDir();

    /** The rule files' directory (read and written at both levels). */
    Path rulesDir();

    /** The block lists' directory. */
    Path listsDir();

    /** The pending prompts and their answers; null when prompts are off (see {@link #promptsOffReason()}). */
    PromptBroker prompts();

    /** Why {@link #prompts()} is null, in words for the UI. */
    String promptsOffReason();

    /** True when the daemon's firewall decides connections (intercept level): rules then have hit counts. */
    boolean firewall();

    /** The lists the firewall loaded (hit counts, membership); null at the passive level. */
    BlockLists blockLists();

    /** Ends one TCP connection; false when the kernel no longer has it. */
    boolean closeConnection(InetEndpoint local, InetEndpoint remote) throws IOException;

    /** The effective configuration, section → key → value, secrets left out. */
    Map<String, Map<String, Object>> settings();
}
