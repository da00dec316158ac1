package io.logsdistributor.queue;

import java.time.Duration;

/**
 * {@code distributor.queue.store=kafka}: the topic every replica produces accepted packets to and consumes
 * as one consumer group. Camel's {@code camel.component.kafka.*} options (TLS, SASL, timeouts) apply on top.
 *
 * @param replicationFactor -1: the broker's {@code default.replication.factor}
 * @param sendTimeout how long ingest waits for the broker's acknowledgement before answering 503
 * @param maxRecordBytes the largest record a packet within {@code max-body-bytes} makes (the producer's
 *     {@code max.request.size}, and the topic's {@code max.message.bytes} when the store creates it)
 */
public record KafkaSettings(
        String bootstrapServers,
        String topic,
        String consumerGroup,
        int partitions,
        int replicationFactor,
        Duration sendTimeout,
        int maxRecordBytes) {
}
