/**
 * Portier's configuration: one YAML file read by {@link dev.portier.config.ConfigLoader} into immutable,
 * validated records; every problem names file, line and key. Everything here is immutable and thread-safe;
 * loading is a plain blocking call with no shared state.
 */
package dev.portier.config;
