package io.github.webpubsub.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves six minutes forward at every reading, past the template's token half-life
 * (five minutes), so each request token is signed anew: the template's cost without its cache.
 */
final class LeapingClock extends Clock {

  private static final long LEAP_SECONDS = Duration.ofMinutes(6).toSeconds();

  private final AtomicLong seconds = new AtomicLong(Instant.now().getEpochSecond());

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("LeapingClock is UTC only");
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochSecond(this.seconds.addAndGet(LEAP_SECONDS));
  }
}
