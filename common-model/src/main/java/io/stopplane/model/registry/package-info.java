/**
 * Who may be an agent: activations (codes an account creates to register instances), managed instances (an identity
 * the control plane assigns, bound to a key the agent generated), and the events that change them. Events go to
 * {@code registry-events} keyed by activation id; the dispatcher folds them into the compacted {@code agent-registry}.
 */
package io.stopplane.model.registry;
