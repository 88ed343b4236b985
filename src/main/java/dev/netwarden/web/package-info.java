/**
 * The daemon's web UI server and local HTTP API (docs/web.md, {@code web/openapi.yaml}): embedded
 * Jetty with plain handlers, token login and in-memory sessions, CSRF and Origin checks, security
 * headers, the static pages of {@code src/main/resources/web/}, the JSON endpoints and the live event
 * stream (SSE).
 *
 * <p>Owns the HTTP side only: what it shows and changes it reads from the daemon's parts
 * ({@link dev.netwarden.web.DaemonParts}: the live flows and event bus, history, the rule and list
 * directories, the prompt broker) and from the shared code of the CLI (rule files, lists, history
 * reader). It must not touch netfilter, the kernel's sockets (except ending one connection through
 * {@link dev.netwarden.firewall.ConnectionKiller}) or history's writer. Every string that came from
 * another program (domains, process names, command lines) leaves as JSON text; the pages insert it as
 * text, never as HTML.
 */
package dev.netwarden.web;
