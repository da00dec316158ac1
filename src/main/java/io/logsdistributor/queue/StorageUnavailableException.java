package io.logsdistributor.queue;

/**
 * The queue store cannot record a packet now (disk full, read-only, I/O error): the packet is refused
 * (503 storage_unavailable) rather than accepted without a record.
 */
public class StorageUnavailableException extends RuntimeException {

    public StorageUnavailableException(String message) {
        super(message, null, false, false);
    }
}
