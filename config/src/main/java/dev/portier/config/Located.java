package dev.portier.config;

/** A string value from the file with where it came from, so later checks can still name file, line and key. */
record Located(String value, int line, String key) {}
