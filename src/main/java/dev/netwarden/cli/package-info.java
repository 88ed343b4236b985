/**
 * The {@code netwarden} command line (picocli): argument parsing, exit codes and error messages.
 * Each subcommand hands its parsed options to the domain package that does the work.
 */
package dev.netwarden.cli;
