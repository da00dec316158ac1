package io.logsdistributor.security;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Who may send (API keys, and whether a key binds its agent id), how fast (the default per-agent rate
 * and how many agents are tracked), and how the distributor proves itself to HTTPS analyzers.
 * Null files mean the feature is off.
 */
public record SecuritySettings(
        Path apiKeysFile,
        boolean bindAgent,
        Duration keysReloadInterval,
        RateLimit defaultRate,
        int maxTrackedAgents,
        Path analyzerCaFile,
        Path analyzerCertFile,
        Path analyzerKeyFile) {
}
