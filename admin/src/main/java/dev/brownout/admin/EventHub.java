package dev.brownout.admin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The live event stream's hub: numbers each event, keeps the latest in a ring for clients that
 * reconnect, and hands each event to every connected client's own bounded queue.
 *
 * <p>Design note. Events are rare (a change, a breaker transition, an incident, one summary a
 * second), so one monitor orders them: {@link #publish} and {@link #subscribe} hold it, which makes
 * "replay the ring after id N, then go live" atomic, so a reconnecting client neither misses nor
 * repeats an event. Publishing never blocks on a client: each client has a bounded queue that its
 * own writer thread drains; a client whose queue is full is slow or gone, and is dropped (its queue
 * ends with {@link #END}) rather than slowing the others or growing memory. It reconnects with its
 * last id and gets the replay or a {@code reset}.
 *
 * <p>An event's id on the wire is the hub's epoch and its number, {@code "k3x9q2-57"}: a number
 * alone would mean something else to a restarted admin, or to another instance behind the same
 * address, which would replay its own events after it as if they followed the client's. An id of
 * another epoch gets a {@code reset}.
 */
final class EventHub {

  /** One numbered event, its frame written once for every client (and never changed). */
  static final class Event {
    private final long id;
    private final String name;
    private final byte[] frame;

    Event(long id, String name, byte[] frame) {
      this.id = id;
      this.name = name;
      this.frame = frame;
    }

    long id() {
      return id;
    }

    String name() {
      return name;
    }

    byte[] frame() {
      return frame;
    }
  }

  /** Ends a client's stream: the hub closed, or the client fell behind. */
  static final Event END = new Event(-1, "end", new byte[0]);

  /** Whether {@code event} is {@link #END}: the one event with a negative id. */
  static boolean isEnd(@Nullable Event event) {
    return event != null && event.id() < 0;
  }

  private final Event[] ring;
  private final int queueCapacity;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();
  private final String epoch =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 35, 1L << 40), 36);
  private long lastId;
  private boolean closed;

  EventHub(int ringSize, int queueCapacity) {
    this.ring = new Event[ringSize];
    this.queueCapacity = queueCapacity;
  }

  /** The id on the wire of this hub's event number {@code id}. */
  String wireId(long id) {
    return epoch + "-" + id;
  }

  /**
   * Numbers {@code data} (JSON) as the next event named {@code name} and offers it to every client.
   */
  synchronized void publish(String name, String data) {
    if (closed) {
      return;
    }
    long id = ++lastId;
    Event event = new Event(id, name, frame(wireId(id), name, data));
    ring[(int) (id % ring.length)] = event;
    for (Client client : clients) {
      client.offer(event);
    }
  }

  /**
   * A new client, whose queue starts with the events after {@code lastEventId} (a reconnect's
   * {@code Last-Event-ID}), or a {@code reset} event when they have left the ring or the id is not
   * this hub's; null when the hub is closed.
   */
  synchronized @Nullable Client subscribe(@Nullable String lastEventId) {
    if (closed) {
      return null;
    }
    Client client = new Client(queueCapacity);
    if (lastEventId != null && !lastEventId.isBlank()) {
      subscribeAfter(client, lastEventId.strip());
    }
    clients.add(client);
    return client;
  }

  private void subscribeAfter(Client client, String lastEventId) {
    String prefix = epoch + "-";
    long number =
        lastEventId.startsWith(prefix)
                && lastEventId.substring(prefix.length()).matches("[0-9]{1,18}")
            ? Long.parseLong(lastEventId.substring(prefix.length()))
            : -1; // another admin's, or not an id at all
    if (number != lastId) {
      List<Event> missed = number < 0 ? null : missedSince(number);
      if (missed == null || missed.size() > queueCapacity / 2) {
        client.offer(reset(lastEventId));
      } else {
        missed.forEach(client::offer);
      }
    }
  }

  /** The events after {@code id}, or null if some of them have left the ring (or never were). */
  private @Nullable List<Event> missedSince(long id) {
    long oldest = Math.max(1, lastId - ring.length + 1);
    if (id < oldest - 1 || id > lastId) {
      return null;
    }
    List<Event> missed = new ArrayList<>();
    for (long next = id + 1; next <= lastId; next++) {
      missed.add(ring[(int) (next % ring.length)]);
    }
    return missed;
  }

  private Event reset(String lastEventId) {
    String data =
        Json.write(
            java.util.Map.of(
                "lastEventId",
                lastEventId,
                "reason",
                "the events after that id are gone; read GET api/v1/state again"));
    // Carries the current id, so that the client's next reconnect resumes from here.
    return new Event(lastId, "reset", frame(wireId(lastId), "reset", data));
  }

  void unsubscribe(Client client) {
    clients.remove(client);
  }

  int clients() {
    return clients.size();
  }

  synchronized long lastId() {
    return lastId;
  }

  /** The wire id of the last event published: a client that resumes after it misses nothing. */
  synchronized String lastEventId() {
    return wireId(lastId);
  }

  /** Ends every client's stream; nothing is published from now on. */
  synchronized void close() {
    closed = true;
    for (Client client : clients) {
      client.end();
    }
    clients.clear();
  }

  private static byte[] frame(String id, String name, String data) {
    // data is one line of JSON (Json escapes line breaks), so one data: field carries it.
    return ("id: " + id + "\nevent: " + name + "\ndata: " + data + "\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** One connected client: its queue, drained by the thread that writes its response. */
  final class Client {
    private final BlockingQueue<Event> queue;

    Client(int capacity) {
      // One more place than the capacity, so that END always fits.
      this.queue = new ArrayBlockingQueue<>(capacity + 1);
    }

    /** Called under the hub's monitor. */
    void offer(Event event) {
      if (queue.remainingCapacity() <= 1 || !queue.offer(event)) {
        clients.remove(this);
        end();
      }
    }

    void end() {
      queue.clear();
      queue.offer(END);
    }

    /** The next event, {@link #END}, or null if none came within {@code millis}. */
    @Nullable Event next(long millis) throws InterruptedException {
      return queue.poll(millis, TimeUnit.MILLISECONDS);
    }
  }
}
