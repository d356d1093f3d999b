package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The stream a client reads from the hub, under random publishing, reconnecting and reading: it
 * sees every event after its start exactly once and in order, or it is told (a reset, or the end of
 * its stream) that it missed some.
 */
class EventHubProperties {

  /** One step: publish an event, read one event of a client, or reconnect a client. */
  record Step(int kind, int client, int back) {}

  @Property(tries = 500)
  void aClientSeesEveryEventOnceInOrderOrIsToldItMissedSome(
      @ForAll("steps") List<Step> steps,
      @ForAll @IntRange(min = 1, max = 8) int ring,
      @ForAll @IntRange(min = 2, max = 8) int queue)
      throws InterruptedException {
    EventHub hub = new EventHub(ring, queue);
    List<Reader> readers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      readers.add(new Reader(hub, null));
    }
    for (Step step : steps) {
      Reader reader = readers.get(step.client());
      switch (step.kind()) {
        case 0 -> hub.publish("summary", "{}");
        case 1 -> reader.readOne();
        default -> {
          long from = Math.max(0, reader.lastSeen - step.back());
          readers.set(step.client(), new Reader(hub, from == 0 ? null : from));
        }
      }
    }
    for (Reader reader : readers) {
      reader.readAll();
      if (!reader.told) {
        // Nothing missed: it saw every id from its start to the last one published.
        assertThat(reader.seen).isEqualTo(range(reader.start + 1, hub.lastId()));
      }
      assertThat(reader.seen).isSorted().doesNotHaveDuplicates();
    }
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                6, Arbitraries.integers().between(0, 2).map(c -> new Step(0, c, 0))),
            net.jqwik.api.Tuple.of(
                5, Arbitraries.integers().between(0, 2).map(c -> new Step(1, c, 0))),
            net.jqwik.api.Tuple.of(
                1,
                Arbitraries.integers()
                    .between(0, 2)
                    .flatMap(
                        c -> Arbitraries.integers().between(0, 12).map(b -> new Step(2, c, b)))));
    return step.list().ofMaxSize(80);
  }

  private static List<Long> range(long from, long to) {
    List<Long> ids = new ArrayList<>();
    for (long id = from; id <= to; id++) {
      ids.add(id);
    }
    return ids;
  }

  /** A client as the page is: it remembers the last id it read and reconnects from there. */
  private static final class Reader {
    private final EventHub.Client client;
    final long start;
    final List<Long> seen = new ArrayList<>();
    long lastSeen;
    boolean told;

    Reader(EventHub hub, Long lastEventId) {
      this.client = hub.subscribe(lastEventId == null ? null : hub.wireId(lastEventId));
      this.start = lastEventId == null ? hub.lastId() : lastEventId;
      this.lastSeen = start;
    }

    void readOne() throws InterruptedException {
      EventHub.Event event = client.next(0);
      if (event == null) {
        return;
      }
      if (EventHub.isEnd(event) || event.name().equals("reset")) {
        told = true;
        return;
      }
      seen.add(event.id());
      lastSeen = event.id();
    }

    void readAll() throws InterruptedException {
      for (int i = 0; i < 200; i++) {
        readOne();
      }
    }
  }
}
