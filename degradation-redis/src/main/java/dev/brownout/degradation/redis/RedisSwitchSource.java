package dev.brownout.degradation.redis;

import dev.brownout.core.internal.LogText;
import dev.brownout.core.internal.Settings;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchSink;
import dev.brownout.degradation.SwitchSource;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feature switches shared by every instance of a service through Redis: a switch set through any
 * instance's {@link Features#set} reaches all of them within a moment, and an instance that starts
 * begins with the fleet's current switches.
 *
 * <pre>{@code
 * RedisSwitchSource redis =
 *     RedisSwitchSource.builder("redis://switches.internal:6379").keyPrefix("checkout:").build();
 * features.addSource(redis);
 * features.set("feed.recommendations", Switch.off("store is down").by("alice"));  // on every instance
 * }</pre>
 *
 * <p><b>Design.</b> Each feature's switch lives in one Redis hash as a {@link SwitchRecord}: a
 * version, the instance that wrote it, and the switch text. A write is one Lua script that takes
 * the next version (from a counter in the same hash, the feature's versions and Redis's clock: see
 * the note on versions below), stores the record and publishes it, so the channel carries changes
 * in the order Redis gave them. Every instance subscribes, then reads the whole hash (on start and
 * after every reconnect); an instance applies a record only if its version is newer than the last
 * it applied for that feature, so a message and a resync that overlap, or arrive late, cannot undo
 * a newer change. A record older than this instance's own latest write of the feature is skipped
 * too: that write is already in force here and its own announcement follows. The announcement of an
 * instance's own write is applied like any other, which costs nothing when it matches the switch in
 * force (the usual case) and repairs the switch when another instance's older change slipped in
 * between.
 *
 * <p><b>Failure.</b> Redis is never on the call's path: features keep answering from their local
 * state. When Redis cannot be reached the switches stay as they were, the outage is logged once and
 * counted once in {@code brownout.switch.source.errors}, and the source retries with a growing,
 * jittered delay; once Redis answers again it publishes what was set here meanwhile and resyncs. A
 * switch set while Redis is unreachable is in force on this instance at once, logged as waiting,
 * and published when Redis is back, where it counts as written then (it wins over changes made
 * meanwhile). If Redis comes back with less than it had (restarted without persistence or from an
 * older snapshot, or the hash deleted), each instance puts back the records it knows are newer than
 * what Redis holds, so that the fleet converges on the newest switch of each feature.
 *
 * <p><b>Why one file of 700 lines</b> (about 530 of code, 105 of them the public {@link Builder},
 * nested so that it reads {@code RedisSwitchSource.builder(...)}). The rest is one state machine:
 * connect, lose, retry, publish, restore, resync and receive all read and write the same link,
 * pending writes, delivered versions and own writes under one lock, and the version rules above
 * hold only because every step sees all of that state at once. The parts with no such state are
 * apart: the Lua scripts and key layout ({@code SwitchStore}) and the record format ({@code
 * SwitchRecord}).
 */
public final class RedisSwitchSource implements SwitchSource {

  /*
   * Versions
   *
   * A write's version is the greatest of: the hash's counter plus one; the version of the feature's
   * record in the hash, and the highest the writer knows of the feature, plus one; Redis's clock in
   * microseconds (TIME, read inside the write script). The counter orders writes while Redis keeps its
   * history; the feature's versions keep a write above what the instances have applied when the
   * counter was lost; the clock orders writes across lost history: a write made after Redis came back
   * from an older snapshot gets a version above every write made before the restart, whether or not
   * its instance ever saw them. A plain counter loses that race: an instance that started on the
   * restored data writes the snapshot's counter plus one, below versions that running instances still
   * hold, and its write is undone when they put theirs back. The counter and the feature's versions
   * keep versions rising when the clock does not (writes within one microsecond, a clock set back);
   * the clock cannot help a feature whose versions a record written by hand put ahead of it.
   *
   * Versions stop at 2^53 - 1 (SwitchRecord.MAX_VERSION), the largest whole number the script's Lua
   * numbers (doubles) hold exactly, and are read by the same strict rule in Java and in Lua; a write
   * that would pass the bound is refused and stores nothing, so a writer never believes in a record
   * nobody can read. Versions order the writes of one feature, never across features, so a record
   * written by hand at the bound leaves only its own feature without versions: a counter stuck at the
   * bound stops counting, and the other features go on by their own versions and the clock.
   *
   * Lost history
   *
   * Each instance keeps the newest record it has seen of each feature (`known`: its own writes and the
   * records it applied). Every time it connects it publishes the changes made here while Redis was
   * unreachable, then puts back, in one script, every known record whose feature the hash holds an
   * older version of, or none, or an unreadable record, raising the counter to it; then it reads the
   * hash. The epoch tells "Redis lost the hash" (versions this instance applied say nothing about the
   * new hash, so `delivered` is cleared) from "the hash went back to an older state of itself" (same
   * epoch: nothing to clear; the versions in it are simply lower than those known here). Either way
   * the rule is one: the highest version of a feature wins, everywhere, whoever holds it. So:
   * - two instances and a Redis restarted from an older snapshot: whichever reconnects first puts back
   *   what the snapshot lost; the other finds it there (or puts back what only it knew);
   * - a change made here while Redis was down is published on reconnect with a fresh version, and wins
   *   over the snapshot and over older records other instances put back;
   * - a write made on the restored Redis before an instance that knew more reconnects is newer (the
   *   clock) than what that instance puts back, and stays;
   * - a field deleted by hand is not a change: the instances that know its record put it back when they
   *   next connect (to clear a switch, set it ON);
   * - what no running instance knows is lost with the snapshot.
   * Redis is only compared with what an instance knows when it connects, which a restart always forces;
   * a hash rolled back under live connections (FLUSHALL and RESTORE) is repaired at the next reconnect.
   */

  private static final Logger LOG = LoggerFactory.getLogger(RedisSwitchSource.class);

  private final String name;
  private final String instanceId;
  private final String where;
  private final RedisClient client;
  private final SwitchStore store;
  private final long firstRetryNanos;
  private final long maxRetryNanos;
  private final ScheduledExecutorService worker;
  private final Object lock = new Object();

  // Guarded by lock.
  private SwitchSink sink;
  private Link link;
  private String epoch;
  private final Map<String, Long> delivered = new HashMap<>();
  private final Map<String, Long> ownWrites = new HashMap<>();
  private final Map<String, SwitchRecord> known = new HashMap<>();
  private final Map<String, Switch> pending = new LinkedHashMap<>();
  private boolean outage;
  private boolean retryScheduled;
  private int failedAttempts;
  private long attempts;
  private boolean closed;

  private RedisSwitchSource(Builder builder) {
    this.name = builder.name;
    this.instanceId = builder.instanceId;
    this.store = new SwitchStore(builder.keyPrefix);
    this.firstRetryNanos = builder.firstRetry.toNanos();
    this.maxRetryNanos = builder.maxRetry.toNanos();
    RedisURI uri = RedisURI.builder(builder.uri).withTimeout(builder.timeout).build();
    // Where, for the logs: never the URI itself, which may hold a password.
    this.where =
        uri.getHost() != null
            ? uri.getHost() + ":" + uri.getPort()
            : uri.getSocket() != null
                ? uri.getSocket()
                : "the master " + uri.getSentinelMasterId() + " of its sentinels";
    this.client =
        builder.resources == null
            ? RedisClient.create(uri)
            : RedisClient.create(builder.resources, uri);
    client.setOptions(
        ClientOptions.builder()
            // The source reconnects itself, so that an outage is logged once and ends with a
            // resync.
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(builder.timeout).build())
            .timeoutOptions(TimeoutOptions.enabled(builder.timeout))
            .build());
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "brownout-redis-switches");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** A source on the Redis at {@code redisUri}, such as {@code redis://localhost:6379}. */
  public static Builder builder(String redisUri) {
    Settings.notNull("redisSwitchSource.uri", redisUri);
    try {
      return new Builder(RedisURI.create(redisUri));
    } catch (IllegalArgumentException e) {
      throw Settings.invalid(
          "redisSwitchSource.uri",
          "'" + redisUri + "'",
          "must be a Redis URI such as redis://localhost:6379");
    }
  }

  /** A source on the Redis at {@code redisUri}. */
  public static Builder builder(RedisURI redisUri) {
    return new Builder(Settings.notNull("redisSwitchSource.uri", redisUri));
  }

  @Override
  public String name() {
    return name;
  }

  /** This instance's name in the records it writes and in the audit of the other instances. */
  public String instanceId() {
    return instanceId;
  }

  @Override
  public void start(SwitchSink target) {
    synchronized (lock) {
      if (sink != null) {
        throw new IllegalStateException("switch source " + name + " is already started");
      }
      sink = Settings.notNull("redisSwitchSource.sink", target);
      connect();
    }
  }

  /**
   * Stores and announces a change made on this instance, taking at most the {@link
   * Builder#timeout}. While Redis is unreachable (or when the write times out) the change waits
   * here, already in force on this instance, and is published when Redis is back.
   */
  @Override
  public void write(String feature, Switch setting) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(
            "switch source " + name + " is closed; " + feature + " = " + setting + " stays local");
      }
      pending.remove(feature);
      if (link != null) {
        try {
          publish(link.commands.sync(), feature, setting);
          return;
        } catch (SwitchStore.VersionsExhaustedException e) {
          throw e;
        } catch (RuntimeException e) {
          drop(link);
          pending.put(feature, setting);
          LOG.warn(
              "switch source {}: could not publish {} = {}; it is in force here and waits for Redis",
              LogText.of(name),
              LogText.of(feature),
              LogText.of(setting));
          down(e.toString(), e);
          return;
        }
      }
      pending.put(feature, setting);
      LOG.warn(
          "switch source {}: Redis at {} is unreachable; {} = {} is in force here and waits for Redis",
          LogText.of(name),
          LogText.of(where),
          LogText.of(feature),
          LogText.of(setting));
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      if (link != null) {
        // Closed before the client shuts its event loops down, so that no close is left pending on
        // them.
        link.commands.close();
        link.changes.close();
        link = null;
      }
      if (!pending.isEmpty()) {
        LOG.warn(
            "switch source {}: closed while Redis was unreachable; these changes never reached it: {}",
            LogText.of(name),
            LogText.neutralise(pending.toString(), LogText.MAX_MESSAGE_LENGTH));
      }
    }
    worker.shutdownNow();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  /** Whether the source is connected to Redis now. */
  boolean connected() {
    synchronized (lock) {
      return link != null;
    }
  }

  /** How many times the source has tried to connect, the first included. */
  long attempts() {
    synchronized (lock) {
      return attempts;
    }
  }

  /** Changes set here that wait for Redis. */
  Map<String, Switch> pending() {
    synchronized (lock) {
      return Map.copyOf(pending);
    }
  }

  // ---- the connection; everything below runs under lock

  /**
   * Connects, publishes what waits, puts back what Redis lost, and resyncs; or schedules a retry.
   */
  private void connect() {
    attempts++;
    Link opened = null;
    try {
      opened = open();
      link = opened;
      RedisCommands<String, String> redis = opened.commands.sync();
      String current = store.epoch(redis, UUID.randomUUID().toString());
      boolean lost = epoch != null && !epoch.equals(current);
      epoch = current;
      if (lost) {
        // Versions start again with the new hash; what this instance applied says nothing about
        // them.
        delivered.clear();
        ownWrites.clear();
      }
      for (Map.Entry<String, Switch> waiting : Map.copyOf(pending).entrySet()) {
        try {
          publish(redis, waiting.getKey(), waiting.getValue());
        } catch (SwitchStore.VersionsExhaustedException e) {
          sink.failed(e.getMessage(), null);
        }
        pending.remove(waiting.getKey());
      }
      restore(redis, lost);
      resync(redis);
      if (outage) {
        LOG.info(
            "switch source {}: Redis at {} is reachable again; switches resynced",
            LogText.of(name),
            LogText.of(where));
      }
      outage = false;
      failedAttempts = 0;
    } catch (RuntimeException e) {
      if (opened != null) {
        drop(opened);
      }
      down(e.toString(), e);
    }
  }

  private Link open() {
    StatefulRedisConnection<String, String> commands = client.connect();
    StatefulRedisPubSubConnection<String, String> changes;
    try {
      changes = client.connectPubSub();
    } catch (RuntimeException e) {
      var unused = commands.closeAsync();
      throw e;
    }
    Link opened = new Link(commands, changes);
    RedisConnectionStateListener onLoss =
        new RedisConnectionStateListener() {
          @Override
          public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            onWorker(() -> lost(opened));
          }
        };
    commands.addListener(onLoss);
    changes.addListener(onLoss);
    changes.addListener(
        new RedisPubSubAdapter<String, String>() {
          @Override
          public void message(String channel, String message) {
            onWorker(() -> received(opened, message));
          }
        });
    try {
      changes.sync().subscribe(store.channel);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
    return opened;
  }

  private void onWorker(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      // Closed: nothing is applied any more.
    }
  }

  private void lost(Link which) {
    synchronized (lock) {
      if (link == which && !closed) {
        drop(which);
        down("the connection was lost", null);
      }
    }
  }

  private void drop(Link which) {
    if (link == which) {
      link = null;
    }
    which.close();
  }

  /** Reports the outage once, then retries after a growing, jittered delay. */
  private void down(String problem, Throwable cause) {
    if (closed) {
      return;
    }
    if (!outage) {
      outage = true;
      sink.failed(
          "Redis at "
              + where
              + " is unreachable ("
              + problem
              + "); the switches stay as they are, retrying",
          cause);
    } else {
      LOG.debug(
          "switch source {}: Redis at {} is still unreachable: {}",
          LogText.of(name),
          LogText.of(where),
          LogText.of(problem));
    }
    if (!retryScheduled) {
      retryScheduled = true;
      long ceiling = firstRetryNanos << Math.min(failedAttempts, 20);
      long delay = Math.min(maxRetryNanos, ceiling > 0 ? ceiling : maxRetryNanos);
      failedAttempts++;
      delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
      try {
        var unused = worker.schedule(this::retry, delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        retryScheduled = false;
      }
    }
  }

  private void retry() {
    synchronized (lock) {
      retryScheduled = false;
      if (!closed && link == null) {
        connect();
      }
    }
  }

  private void publish(RedisCommands<String, String> redis, String feature, Switch setting) {
    long version =
        store.write(
            redis,
            feature,
            instanceId,
            setting.toString(),
            known.containsKey(feature) ? known.get(feature).version() : 0,
            counter ->
                sink.failed(
                    "the counter "
                        + SwitchStore.VERSION_FIELD
                        + " in "
                        + store.hash
                        + " held '"
                        + LogText.of(counter)
                        + "', which is not a version; it was replaced",
                    null));
    ownWrites.merge(feature, version, Math::max);
    remember(feature, new SwitchRecord(version, instanceId, setting));
  }

  private void remember(String feature, SwitchRecord record) {
    known.merge(feature, record, (was, now) -> now.version() > was.version() ? now : was);
  }

  /**
   * Puts back every record this instance knows that the hash holds an older one of, or none: after
   * Redis lost the hash ({@code lost}), or went back to an older snapshot of it.
   */
  private void restore(RedisCommands<String, String> redis, boolean lost) {
    long restored = known.isEmpty() ? 0 : store.restore(redis, known);
    if (lost) {
      LOG.warn(
          "switch source {}: Redis at {} lost the switches (restarted without persistence, or {} was deleted); put back {} of the {} this instance knew",
          LogText.of(name),
          LogText.of(where),
          LogText.of(store.hash),
          restored,
          known.size());
    } else if (restored > 0) {
      LOG.warn(
          "switch source {}: Redis at {} held older switches than this instance knows (restarted from an older snapshot?); put back {} of the {} this instance knew",
          LogText.of(name),
          LogText.of(where),
          restored,
          known.size());
    }
  }

  private void resync(RedisCommands<String, String> redis) {
    Map<String, SwitchRecord> records = new LinkedHashMap<>();
    for (Map.Entry<String, String> field : store.readAll(redis).entrySet()) {
      try {
        records.put(SwitchRecord.checkName(field.getKey()), SwitchRecord.parse(field.getValue()));
      } catch (SwitchRecord.MalformedException e) {
        sink.failed(
            "feature "
                + LogText.of(field.getKey())
                + " has a malformed switch in "
                + store.hash
                + ": '"
                + LogText.of(field.getValue())
                + "' ("
                + LogText.of(e.getMessage())
                + "); it keeps its switch here",
            null);
      }
    }
    deliver(records);
  }

  private void received(Link from, String message) {
    synchronized (lock) {
      if (closed || link != from) {
        return;
      }
      SwitchRecord.Change change;
      try {
        change = SwitchRecord.parseChange(message);
      } catch (SwitchRecord.MalformedException e) {
        sink.failed(
            "a malformed change on "
                + store.channel
                + ": '"
                + LogText.of(message)
                + "' ("
                + LogText.of(e.getMessage())
                + ") was ignored",
            null);
        return;
      }
      deliver(Map.of(change.feature(), change.record()));
    }
  }

  /** Applies the records that are newer than what this instance has, as one change. */
  private void deliver(Map<String, SwitchRecord> records) {
    Map<String, Switch> changes = new LinkedHashMap<>();
    Map<String, String> origins = new HashMap<>();
    Map<String, Long> versions = new HashMap<>();
    for (Map.Entry<String, SwitchRecord> entry : records.entrySet()) {
      String feature = entry.getKey();
      SwitchRecord record = entry.getValue();
      if (record.version() <= delivered.getOrDefault(feature, 0L)
          || record.version() < ownWrites.getOrDefault(feature, 0L)) {
        continue;
      }
      remember(feature, record);
      versions.put(feature, record.version());
      changes.put(feature, record.setting());
      origins.put(feature, name + ":" + record.instance());
    }
    if (!changes.isEmpty()) {
      try {
        sink.setAll(changes, origins);
        // Marked delivered only once applied: a batch the runtime refused is offered again.
        delivered.putAll(versions);
      } catch (RuntimeException e) {
        sink.failed("could not apply " + changes + ": " + e.getMessage(), e);
      }
    }
  }

  /** The two connections of one session with Redis: commands, and the subscription to changes. */
  private static final class Link {
    final StatefulRedisConnection<String, String> commands;
    final StatefulRedisPubSubConnection<String, String> changes;

    Link(
        StatefulRedisConnection<String, String> commands,
        StatefulRedisPubSubConnection<String, String> changes) {
      this.commands = commands;
      this.changes = changes;
    }

    void close() {
      var unusedCommands = commands.closeAsync();
      var unusedChanges = changes.closeAsync();
    }
  }

  /**
   * Settings of a {@link RedisSwitchSource}; {@link #build()} makes it, {@link Features#addSource}
   * starts it.
   */
  public static final class Builder {
    private final RedisURI uri;
    private String keyPrefix = "";
    private String instanceId = defaultInstanceId();
    private String name = "redis";
    private Duration timeout = Duration.ofSeconds(2);
    private Duration firstRetry = Duration.ofMillis(100);
    private Duration maxRetry = Duration.ofSeconds(10);
    private ClientResources resources;

    private Builder(RedisURI uri) {
      this.uri = uri;
    }

    /**
     * Put before every key and channel name, so several services can share one Redis (default
     * none).
     */
    public Builder keyPrefix(String prefix) {
      Settings.notNull("redisSwitchSource.keyPrefix", prefix);
      if (prefix.chars().anyMatch(Character::isWhitespace)) {
        throw Settings.invalid(
            "redisSwitchSource.keyPrefix",
            "'" + prefix + "'",
            "must not contain spaces, such as checkout:");
      }
      this.keyPrefix = prefix;
      return this;
    }

    /**
     * This instance's name in what it writes, one word and unique in the fleet (default: the host
     * name and the process id). Other instances record it in their audit as {@code
     * redis:<instance>}.
     */
    public Builder instanceId(String id) {
      Settings.notNull("redisSwitchSource.instanceId", id);
      if (id.isEmpty()
          || id.length() > 200
          || id.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
        throw Settings.invalid(
            "redisSwitchSource.instanceId",
            "'" + id + "'",
            "must be one word of at most 200 characters, such as checkout-7f9c");
      }
      this.instanceId = id;
      return this;
    }

    /** The source's name in the audit, the logs and the metrics (default {@code redis}). */
    public Builder name(String sourceName) {
      Settings.notNull("redisSwitchSource.name", sourceName);
      if (sourceName.isBlank()) {
        throw Settings.invalid(
            "redisSwitchSource.name", "'" + sourceName + "'", "must not be blank");
      }
      this.name = sourceName;
      return this;
    }

    /**
     * How long connecting and each command may take before Redis counts as unreachable (default 2
     * s).
     */
    public Builder timeout(Duration value) {
      this.timeout = Settings.positive("redisSwitchSource.timeout", value);
      return this;
    }

    /**
     * The delay before the first retry after Redis became unreachable, doubling up to {@code max}.
     */
    public Builder retryBackoff(Duration first, Duration max) {
      Settings.positive("redisSwitchSource.retry.first", first);
      Settings.positive("redisSwitchSource.retry.max", max);
      if (max.compareTo(first) < 0) {
        throw Settings.invalid(
            "redisSwitchSource.retry.max",
            max,
            "must not be shorter than the first delay " + first);
      }
      this.firstRetry = first;
      this.maxRetry = max;
      return this;
    }

    /** Lettuce's event loops to share with other clients; the source does not shut them down. */
    public Builder clientResources(ClientResources shared) {
      this.resources = Settings.notNull("redisSwitchSource.clientResources", shared);
      return this;
    }

    /** The source; it connects when it is added to {@link Features#addSource}. */
    public RedisSwitchSource build() {
      return new RedisSwitchSource(this);
    }

    private static String defaultInstanceId() {
      String host = System.getenv("HOSTNAME");
      if (host == null || host.isBlank()) {
        host = "instance";
      }
      return host.replaceAll("[\\s\\p{Cntrl}]", "") + "-" + ProcessHandle.current().pid();
    }
  }
}
