package io.logsdistributor.queue;

import io.logsdistributor.ingest.Packet;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code distributor.queue.store=kafka}: accepted packets live in a topic that every replica shares. Ingest
 * produces each packet and answers 202 only once the broker acknowledged it (acks=all, idempotent); a
 * consumer-group member feeds this replica's queue from the partitions assigned to it, pausing while
 * the queue holds {@link #BUFFERED} packets, and commits an offset only once every packet before it was
 * delivered or dead-lettered ({@link PartitionProgress}). A replica that dies hands its partitions to the
 * others, which deliver again what it had not committed: at-least-once, as with the journal.
 */
public final class KafkaStore implements QueueStore {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaStore.class);
    /** Packets a replica takes ahead of its deliveries: enough to keep every consumer busy between polls. */
    static final int BUFFERED = 1000;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private final KafkaSettings settings;
    private final StoreEvents events;
    private final Map<Integer, PartitionProgress> progress = new ConcurrentHashMap<>();
    private volatile String unavailable;
    private volatile boolean intake = true;
    private volatile boolean running;
    private Producer<byte[], byte[]> producer;
    private Consumer<byte[], byte[]> consumer;
    private Admin admin;
    private ScheduledExecutorService prober;
    private Thread poller;
    private PacketQueue queue;
    private CamelContext context;
    private long lastCommit;

    public KafkaStore(KafkaSettings settings, StoreEvents events) {
        this.settings = settings;
        this.events = events;
        this.unavailable = "not connected to Kafka at " + settings.bootstrapServers() + " yet";
    }

    /**
     * Connects: the producer for ingest, the consumer that feeds {@code queue}, and a probe that creates the
     * topic if missing and marks the store available once the broker answers.
     */
    public void start(CamelContext context, PacketQueue queue, KafkaClientProperties clients) {
        start(context, queue, new KafkaProducer<>(clients.producer()), new KafkaConsumer<>(clients.consumer()),
                Admin.create(clients.admin()));
    }

    synchronized void start(CamelContext context, PacketQueue queue, Producer<byte[], byte[]> producer,
            Consumer<byte[], byte[]> consumer, Admin admin) {
        if (this.producer != null) {
            throw new IllegalStateException("the Kafka queue store is started once");
        }
        this.context = context;
        this.queue = queue;
        this.producer = producer;
        this.consumer = consumer;
        this.admin = admin;
        running = true;
        prober = Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, "kafka-probe"));
        prober.scheduleWithFixedDelay(this::probe, 0, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        poller = daemon(this::consume, "kafka-intake");
        poller.start();
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public long append(Packet packet) {
        String problem = unavailable;
        if (problem != null) {
            throw new StorageUnavailableException(problem);
        }
        try {
            // the producer gives up at send-timeout (delivery.timeout.ms); the margin only covers its bookkeeping
            producer.send(KafkaPackets.record(settings.topic(), packet))
                    .get(settings.sendTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            return 0;
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageUnavailableException("interrupted while waiting for Kafka");
        }
    }

    private StorageUnavailableException failed(Throwable cause) {
        if (cause instanceof RecordTooLargeException) {
            // this packet only: the topic was not created by the distributor and takes smaller records
            LOG.error("Kafka refused a packet of this size on topic {}: set the topic's max.message.bytes to at least {} "
                    + "(distributor.max-body-bytes plus 16 KiB), or lower distributor.max-body-bytes", settings.topic(),
                    settings.maxRecordBytes());
            return new StorageUnavailableException("Kafka refuses records this large on topic " + settings.topic());
        }
        String problem = "Kafka did not acknowledge a packet: " + cause;
        if (unavailable == null) {
            LOG.error("{}; refusing packets (503 storage_unavailable) until the broker answers again", problem);
        }
        unavailable = problem;
        events.storageError();
        return new StorageUnavailableException(problem);
    }

    /** Makes sure the topic exists and the broker answers; the store takes packets again once it does. */
    private void probe() {
        if (unavailable == null) {
            return;
        }
        try {
            NewTopic topic = (settings.replicationFactor() < 0
                    ? new NewTopic(settings.topic(), Optional.of(settings.partitions()), Optional.empty())
                    : new NewTopic(settings.topic(), settings.partitions(), (short) settings.replicationFactor()))
                    // the broker's default (1 MiB) would refuse the largest packets ingest accepts
                    .configs(Map.of("max.message.bytes", String.valueOf(settings.maxRecordBytes())));
            try {
                admin.createTopics(List.of(topic)).all().get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created Kafka topic {} with {} partitions", settings.topic(), settings.partitions());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            if (unavailable != null) {
                LOG.info("Kafka at {} answers: taking packets on topic {}", settings.bootstrapServers(), settings.topic());
            }
            unavailable = null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            unavailable = "Kafka at " + settings.bootstrapServers() + " does not answer: " + cause;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The consumer's thread: takes packets into the queue while it has room, and commits what is finished. */
    private void consume() {
        try {
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            while (running) {
                commit(false);
                Collection<TopicPartition> assigned = consumer.assignment();
                if (!intake || queue.packets() >= Math.min(BUFFERED, queue.capacity()) || queue.bytes() >= queue.maxBytes() / 2) {
                    consumer.pause(assigned);
                } else {
                    consumer.resume(consumer.paused());
                }
                for (ConsumerRecord<byte[], byte[]> record : poll()) {
                    take(record);
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll
        } catch (RuntimeException e) {
            LOG.error("The Kafka consumer stopped: this replica takes no more packets from topic {}", settings.topic(), e);
        } finally {
            try {
                commitLast();
            } catch (RuntimeException e) {
                LOG.warn("Last offset commit failed; another replica delivers those packets again: {}", e.toString());
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * One poll; a failure of the poll itself (authentication, an unreachable coordinator) is retried after a
     * pause rather than ending the intake. It returns no records, so none is skipped.
     */
    private Iterable<ConsumerRecord<byte[], byte[]>> poll() {
        try {
            return consumer.poll(POLL);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.error("Polling Kafka topic {} failed; trying again in {} s: {}", settings.topic(), PROBE_EVERY.toSeconds(),
                    e.toString());
            try {
                Thread.sleep(PROBE_EVERY.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                running = false;
            }
            return List.of();
        }
    }

    private void commitLast() {
        try {
            commit(true);
        } catch (WakeupException e) {
            // the wake-up close() sent arrived after the poll it was meant for
            commit(true);
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record) {
        PartitionProgress partition = progress.computeIfAbsent(record.partition(), p -> new PartitionProgress());
        Packet packet = KafkaPackets.packet(record);
        partition.taken(record.offset());
        if (packet == null) {
            // not ours (another producer on the topic): skipped and counted, never blocking the commits behind it
            LOG.warn("Skipped a record of topic {} partition {} offset {}: not a packet of this distributor",
                    record.topic(), record.partition(), record.offset());
            events.corrupt(1);
            partition.finished(record.offset());
            return;
        }
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(packet.stored(KafkaPackets.id(record.partition(), record.offset())));
        queue.admit(exchange);
    }

    @Override
    public void remove(long record) {
        PartitionProgress partition = progress.get(KafkaPackets.partition(record));
        if (partition != null) {
            partition.finished(KafkaPackets.offset(record));
        }
    }

    private void commit(boolean now) {
        long time = System.nanoTime();
        if (!now && time - lastCommit < COMMIT_EVERY_NANOS) {
            return;
        }
        lastCommit = time;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        progress.forEach((partition, state) -> {
            long position = state.commitPosition();
            if (position >= 0) {
                offsets.put(new TopicPartition(settings.topic(), partition), new OffsetAndMetadata(position));
                state.committed(position);
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        if (now) {
            consumer.commitSync(offsets, Duration.ofSeconds(5));
        } else {
            consumer.commitAsync(offsets, (done, error) -> {
                if (error != null) {
                    // during a rebalance every commit fails until it ends: expected, and retried
                    if (error instanceof RetriableException
                            || error instanceof RebalanceInProgressException) {
                        LOG.debug("Offset commit failed, tried again with the next: {}", error.toString());
                    } else {
                        LOG.warn("Offset commit failed, tried again with the next: {}", error.toString());
                    }
                    done.keySet().forEach(p -> {
                        PartitionProgress state = progress.get(p.partition());
                        if (state != null) {
                            state.uncommitted();
                        }
                    });
                }
            });
        }
    }

    /** Partitions that move away: their waiting packets are left to the new owner, what is finished is committed. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions);
            try {
                commit(true);
            } catch (RuntimeException e) {
                LOG.warn("Offset commit at a rebalance failed; the new owner delivers those packets again: {}", e.toString());
            }
            partitions.forEach(p -> progress.remove(p.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
            partitions.forEach(p -> progress.remove(p.partition()));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> progress.put(p.partition(), new PartitionProgress()));
            LOG.info("Kafka partitions assigned to this replica: {}", partitions);
        }

        /**
         * Takes the partitions' waiting packets out of this replica's queue. They stay unfinished in their
         * progress, so the commit that follows stops before the first of them and the new owner delivers them.
         */
        private void release(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                queue.drop(record -> KafkaPackets.partition(record) == partition.partition());
            }
        }
    }

    @Override
    public List<Packet> recover() {
        // the topic is the recovery: uncommitted packets are consumed again by whichever replica owns them
        return List.of();
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public boolean available() {
        return unavailable == null;
    }

    @Override
    public String unavailableReason() {
        return unavailable;
    }

    @Override
    public void stopIntake() {
        intake = false;
    }

    /** Partitions of the topic this replica owns now. */
    public int partitions() {
        return progress.size();
    }

    /** Packets taken from the topic and not finished yet, over all partitions this replica owns. */
    public int unfinished() {
        return progress.values().stream().mapToInt(PartitionProgress::unfinishedCount).sum();
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        intake = false;
        prober.shutdownNow();
        consumer.wakeup();
        try {
            poller.join(TimeUnit.SECONDS.toMillis(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
