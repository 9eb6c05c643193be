/**
 * The exit codes of every `natcap` command, one table (a public contract): 0 fine, 1 the check found a
 * problem (predicted errors, a mandatory violation, a program a natcap component refused), 2 bad input
 * or usage (the message on stderr names the field; no stack trace).
 *
 * @module
 */

/** Exit code when the command ran and found nothing wrong. */
export const EXIT_OK = 0;
/** Exit code when a check finds a problem (predicted errors, a mandatory violation). */
export const EXIT_PROBLEM = 1;
/** Exit code for bad input or usage. */
export const EXIT_USAGE = 2;
/** Exit code for a fault inside natcap itself (a bug: the stack trace is printed). */
export const EXIT_INTERNAL = 3;

/** An exit code of a `natcap` command. */
export type ExitCode = typeof EXIT_OK | typeof EXIT_PROBLEM | typeof EXIT_USAGE | typeof EXIT_INTERNAL;
