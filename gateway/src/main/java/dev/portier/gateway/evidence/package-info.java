/**
 * Evidence handling around the recorder that belongs to no one protocol: masking secrets typed at password
 * prompts before they reach a recording, reading recordings back for replay, and the auditors' spot-check
 * queue. The masker is called on I/O threads and never blocks; readers run on the command pool.
 */
package dev.portier.gateway.evidence;
