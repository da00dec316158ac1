package io.logsdistributor.delivery;

import io.logsdistributor.ingest.Packet;

/** A packet that will not be delivered, and why; {@code analyzer} is null when none was tried. */
public record DeadLetter(Packet packet, String reason, String detail, String analyzer, int attempts) {
}
