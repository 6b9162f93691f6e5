/** The ports a profile may use: below 1024 needs root, above 65535 does not exist. */
export const MIN_PORT = 1024;
export const MAX_PORT = 65535;

/** What a port setting accepts, in the words of every error about one. */
export const PORT_RANGE_WORDS = `a whole number from ${MIN_PORT} to ${MAX_PORT}`;
