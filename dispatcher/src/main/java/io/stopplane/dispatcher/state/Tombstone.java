package io.stopplane.dispatcher.state;

/**
 * What the fold forwards for an expired invocation: a null value on the topic it names (a record's value cannot be
 * null on its way through the topology's branches, which route by the value's type).
 */
enum Tombstone {
    STATE, OUTPUT
}
