package dev.brownout.degradation.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Redis side of the switches under one key prefix: the hash {@code <prefix>brownout:switches}
 * (a field per feature holding its {@link SwitchRecord}, plus {@code #version}, the counter that
 * orders writes, and {@code #epoch}, which changes when Redis loses the hash) and the channel
 * {@code <prefix>brownout:changes}. Each write is one Lua script, so taking a version, storing the
 * record and announcing it happen as one step: the channel carries changes in version order.
 */
final class SwitchStore {

  static final String VERSION_FIELD = "#version";
  static final String EPOCH_FIELD = "#epoch";

  /**
   * Reads a version, or a record's, as {@link SwitchRecord#parse} does, or nil: the scripts take no
   * text for a number that Java would not. Exact, as every whole number up to 2^53 is a Lua number
   * (a double).
   */
  private static final String VERSION =
      """
      local MAX = 9007199254740991
      local function version(text)
        if type(text) ~= 'string' or #text > 16 or not string.find(text, '^[1-9]%d*$') then
          return nil
        end
        local number = tonumber(text)
        if number > MAX then
          return nil
        end
        return number
      end
      local function recordVersion(record)
        return record and version(string.match(record, '^%s*(%S+) '))
      end
      local function decimal(number)
        return string.format('%.0f', number)
      end
      """;

  /**
   * KEYS[1] hash; ARGV feature, instance, switch text, channel, floor. The version is the greatest
   * of the counter plus one (unless the counter is at the largest version), the version of the
   * feature's record plus one, {@code floor} plus one (the highest version of the feature the
   * writer knows, so that a hash lost and written since cannot hand out versions the instances
   * would take for old), and Redis's clock in microseconds (so that a write made after Redis went
   * back to an older snapshot is newer than every write the snapshot lost). Returns {@code
   * {version}}, with the counter's old text second if it was no version and was replaced; or {@code
   * {'full'}} if the feature's next version would pass the largest, storing nothing.
   */
  private static final String WRITE =
      VERSION
          + """
          redis.replicate_commands()
          local stored = redis.call('HGET', KEYS[1], '#version')
          local counter = version(stored) or 0
          local current = recordVersion(redis.call('HGET', KEYS[1], ARGV[1])) or 0
          local time = redis.call('TIME')
          local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
          if now > MAX then
            now = 0
          end
          local next = math.max(current + 1, (version(ARGV[5]) or 0) + 1, now)
          if counter < MAX then
            next = math.max(next, counter + 1)
          end
          if next > MAX then
            return {'full'}
          end
          local text = decimal(next)
          redis.call('HSET', KEYS[1], '#version', decimal(math.max(counter, next)))
          local record = text .. ' ' .. ARGV[2] .. ' ' .. ARGV[3]
          redis.call('HSET', KEYS[1], ARGV[1], record)
          redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. record)
          if stored and not version(stored) then
            return {text, stored}
          end
          return {text}
          """;

  /**
   * KEYS[1] hash; ARGV channel, then per record: feature, version, record. Puts back each record
   * the hash holds an older one of (or none, or one that is not a record), keeping the counter
   * above it, and announces it. Returns how many it put back.
   */
  private static final String RESTORE =
      VERSION
          + """
          local counter = version(redis.call('HGET', KEYS[1], '#version')) or 0
          local restored = 0
          for i = 2, #ARGV, 3 do
            local feature, known, record = ARGV[i], tonumber(ARGV[i + 1]), ARGV[i + 2]
            local current = recordVersion(redis.call('HGET', KEYS[1], feature))
            if not current or current < known then
              redis.call('HSET', KEYS[1], feature, record)
              redis.call('PUBLISH', ARGV[1], feature .. ' ' .. record)
              restored = restored + 1
              if counter < known then
                counter = known
                redis.call('HSET', KEYS[1], '#version', decimal(known))
              end
            end
          end
          return restored
          """;

  /** KEYS[1] hash; ARGV a new epoch. Returns the hash's epoch, setting it if it has none. */
  private static final String EPOCH =
      """
      redis.call('HSETNX', KEYS[1], '#epoch', ARGV[1])
      return redis.call('HGET', KEYS[1], '#epoch')
      """;

  final String hash;
  final String channel;

  /**
   * A write refused because the versions reached {@link SwitchRecord#MAX_VERSION}: nothing was
   * stored.
   */
  static final class VersionsExhaustedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    VersionsExhaustedException(String hash, String feature) {
      super(
          "the switch of "
              + feature
              + " was not stored: its versions in "
              + hash
              + " reached "
              + SwitchRecord.MAX_VERSION
              + ", the largest there is (its record was written with a version close to it, by hand or by another program); "
              + "delete that field and restart the instances, which remember the record");
    }
  }

  SwitchStore(String prefix) {
    this.hash = prefix + "brownout:switches";
    this.channel = prefix + "brownout:changes";
  }

  /**
   * Stores and announces {@code text} as {@code feature}'s switch and returns its version, over
   * {@code floor}; {@code repaired} hears the counter's old text if it was no version and was
   * replaced.
   *
   * @throws VersionsExhaustedException if no version is left below {@link SwitchRecord#MAX_VERSION}
   */
  long write(
      RedisCommands<String, String> redis,
      String feature,
      String instance,
      String text,
      long floor,
      Consumer<String> repaired) {
    List<Object> answer =
        redis.eval(
            WRITE,
            ScriptOutputType.MULTI,
            new String[] {hash},
            feature,
            instance,
            text,
            channel,
            String.valueOf(floor));
    if ("full".equals(answer.get(0))) {
      throw new VersionsExhaustedException(hash, feature);
    }
    if (answer.size() > 1) {
      repaired.accept(String.valueOf(answer.get(1)));
    }
    return Long.parseLong(String.valueOf(answer.get(0)));
  }

  /**
   * Puts back each of {@code records} whose feature the hash holds an older record of, or none, or
   * an unreadable one; returns how many it put back.
   */
  long restore(RedisCommands<String, String> redis, Map<String, SwitchRecord> records) {
    List<String> args = new ArrayList<>(1 + 3 * records.size());
    args.add(channel);
    records.forEach(
        (feature, record) ->
            Collections.addAll(args, feature, String.valueOf(record.version()), record.toString()));
    Long restored =
        redis.eval(
            RESTORE, ScriptOutputType.INTEGER, new String[] {hash}, args.toArray(String[]::new));
    return restored;
  }

  /**
   * The hash's epoch; {@code candidate} becomes it if the hash has none (new, or lost by Redis).
   */
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
