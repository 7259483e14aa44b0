/**
 * One gateway node: {@link dev.portier.gateway.Gateway} builds the core services from the configuration and
 * starts the protocol fronts. Built once at startup on the main thread; the fronts run on their own threads.
 */
package dev.portier.gateway;
