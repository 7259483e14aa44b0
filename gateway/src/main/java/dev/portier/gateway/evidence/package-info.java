/**
 * Evidence handling around the recorder that belongs to no one protocol: masking secrets typed at password
 * prompts before they reach a recording, reading recordings back for replay, searching them (with visibility
 * and audit), and the auditors' spot-check queue. The masker is called on I/O threads and never blocks;
 * replay and search run on the command pool.
 */
package dev.portier.gateway.evidence;
