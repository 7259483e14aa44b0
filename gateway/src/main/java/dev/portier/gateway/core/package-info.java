/**
 * What every protocol front shares: the core services bundle, the live-session registry and the auditor.
 * Thread-safe; called from I/O threads.
 */
package dev.portier.gateway.core;
