package io.logsdistributor.queue;

import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients' configuration: Camel's Kafka component options ({@code camel.component.kafka.*} or
 * {@code CAMEL_COMPONENT_KAFKA_*}: TLS, SASL, timeouts, additional properties) with what the queue's
 * guarantees need laid over them.
 */
public record KafkaClientProperties(Properties producer, Properties consumer, Properties admin) {

    public static KafkaClientProperties of(CamelContext context, KafkaConfiguration camel, KafkaSettings settings) {
        KafkaEnvironment.apply(context, camel, System.getenv());
        Properties producer = camel.createProducerProperties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // a 202 means every in-sync replica has the packet, written once however often the producer retries
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // ingest waits at most send-timeout for the broker, whatever the step (metadata, buffer, acknowledgement)
        long timeout = settings.sendTimeout().toMillis();
        long linger = Long.parseLong(String.valueOf(producer.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, "0")));
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout));
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(timeout));
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout + linger));
        // every packet ingest accepts must fit in one request
        long maxRequest = Long.parseLong(String.valueOf(producer.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "0")));
        producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(maxRequest, settings.maxRecordBytes())));

        Properties consumer = camel.createConsumerProperties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, settings.consumerGroup());
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // offsets are committed by the store, only past finished packets
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a group's first member must not skip what was accepted before it joined
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a replica joining or leaving moves only the partitions that change owner
        consumer.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());

        Properties admin = new Properties();
        for (String name : AdminClientConfig.configNames()) {
            if (producer.containsKey(name)) {
                admin.put(name, producer.get(name));
            }
        }
        return new KafkaClientProperties(producer, consumer, admin);
    }
}
