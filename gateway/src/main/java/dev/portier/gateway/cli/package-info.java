/**
 * The {@code portier} command line (picocli): serve, demo, vault, recordings, export, replay, audit. Runs on
 * the main thread; expected failures end with one clear line and a non-zero exit status.
 */
package dev.portier.gateway.cli;
