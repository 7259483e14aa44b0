/**
 * The access service: request lifecycle, approvals under the policy's rule and the SoD engine, grants
 * (signed), break-glass, expiry and revocation. Thread-safe; backed by the access store.
 */
package dev.portier.access.service;
