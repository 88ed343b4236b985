/**
 * {@code netwarden prompt}: the terminal side of the firewall's questions. Reads pending prompts
 * from the daemon's control socket, shows them (every name escaped: they come from the programs
 * asking), and sends the user's answers. Owns no firewall state: the daemon's PromptBroker does.
 */
package dev.netwarden.prompt;
