/**
 * Firewall rules: the model ({@link dev.netwarden.rules.Rule} and its conditions), the rule files
 * (one TOML file per rule, parsed by the pure {@link dev.netwarden.rules.RuleFileParser}, written
 * atomically by {@link dev.netwarden.rules.RuleFiles}), the precedence ({@link dev.netwarden.rules.RuleOrder},
 * documented in docs/rules.md), the immutable compiled set asked per connection
 * ({@link dev.netwarden.rules.RuleSet}) and the live holder the daemon uses
 * ({@link dev.netwarden.rules.RuleEngine}: hot reload, durations, process exits), plus the OpenSnitch
 * import.
 *
 * <p>Must not: block or do I/O on the matching path (files are read and removed on the engine's own
 * thread); touch netfilter, the queue or the network; print rule values unescaped (hosts, paths and
 * command lines in rules come from prompts about hostile programs). Block lists themselves belong to
 * the lists package: rules only ask {@link dev.netwarden.firewall.ListMembership}.
 */
package dev.netwarden.rules;
