package io.logsdistributor.config;

/**
 * A configuration problem that stops start-up. The message is the whole explanation an operator
 * sees (file or property, field, problem), so it must read well on one line.
 */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
