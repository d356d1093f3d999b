package dev.brownout.degradation.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Redis side of the switches under one key prefix: the hash {@code <prefix>brownout:switches} (a
 * field per feature holding its {@link SwitchRecord}, plus {@code #version}, the counter that orders
 * writes, and {@code #epoch}, which changes when Redis loses the hash) and the channel
 * {@code <prefix>brownout:changes}. Each write is one Lua script, so taking a version, storing the
 * record and announcing it happen as one step: the channel carries changes in version order.
 */
final class SwitchStore {

  static final String VERSION_FIELD = "#version";
  static final String EPOCH_FIELD = "#epoch";

  /**
   * KEYS[1] hash; ARGV feature, instance, switch text, channel, floor. Returns the version: the next of
   * the counter, and above {@code floor} (the highest version the writer has seen), so that a counter
   * lost with the hash cannot hand out versions the fleet would take for old.
   */
  private static final String WRITE =
      """
      local version = redis.call('HINCRBY', KEYS[1], '#version', 1)
      local floor = tonumber(ARGV[5])
      if version <= floor then
        version = floor + 1
        redis.call('HSET', KEYS[1], '#version', version)
      end
      local record = version .. ' ' .. ARGV[2] .. ' ' .. ARGV[3]
      redis.call('HSET', KEYS[1], ARGV[1], record)
      redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. record)
      return version
      """;

  /**
   * KEYS[1] hash; ARGV feature, version, record, channel. Puts back a record Redis lost, unless the
   * feature was written since; keeps the counter above it. Returns 1 if it was put back.
   */
  private static final String RESTORE =
      """
      if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
        return 0
      end
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
      local counter = tonumber(redis.call('HGET', KEYS[1], '#version') or '0')
      if counter < tonumber(ARGV[2]) then
        redis.call('HSET', KEYS[1], '#version', ARGV[2])
      end
      redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. ARGV[3])
      return 1
      """;

  /** KEYS[1] hash; ARGV a new epoch. Returns the hash's epoch, setting it if it has none. */
  private static final String EPOCH =
      """
      redis.call('HSETNX', KEYS[1], '#epoch', ARGV[1])
      return redis.call('HGET', KEYS[1], '#epoch')
      """;

  final String hash;
  final String channel;

  SwitchStore(String prefix) {
    this.hash = prefix + "brownout:switches";
    this.channel = prefix + "brownout:changes";
  }

  /** Stores and announces {@code text} as {@code feature}'s switch; returns its version (over {@code floor}). */
  long write(RedisCommands<String, String> redis, String feature, String instance, String text, long floor) {
    Long version =
        redis.eval(WRITE, ScriptOutputType.INTEGER, new String[] {hash}, feature, instance, text, channel, String.valueOf(floor));
    return version;
  }

  /** Puts {@code record} back as {@code feature}'s switch if the hash has none; true if it did. */
  boolean restore(RedisCommands<String, String> redis, String feature, SwitchRecord record) {
    Long restored =
        redis.eval(
            RESTORE,
            ScriptOutputType.INTEGER,
            new String[] {hash},
            feature,
            String.valueOf(record.version()),
            record.toString(),
            channel);
    return restored == 1L;
  }

  /** The hash's epoch; {@code candidate} becomes it if the hash has none (new, or lost by Redis). */
  String epoch(RedisCommands<String, String> redis, String candidate) {
    String epoch = redis.eval(EPOCH, ScriptOutputType.VALUE, new String[] {hash}, candidate);
    return epoch;
  }

  /** Every field of the hash but the bookkeeping ones: feature name to stored text. */
  Map<String, String> readAll(RedisCommands<String, String> redis) {
    Map<String, String> fields = new LinkedHashMap<>(redis.hgetall(hash));
    fields.remove(VERSION_FIELD);
    fields.remove(EPOCH_FIELD);
    return fields;
  }
}
