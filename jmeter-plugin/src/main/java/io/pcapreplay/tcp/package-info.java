/**
  * The replay engine: a user-space TCP client per replayed session, driven by one event loop.
  *
  * <p>Sessions are not kernel sockets: the engine writes raw IP packets from fake client addresses through a
  * {@link io.pcapreplay.tcp.PacketSender} and reads the target's answers, fed back by the intercept agent, from
  * {@link io.pcapreplay.tcp.ReplayEngine#deliver(byte[], int, int, long)}. Per-session state is a handful of
  * primitive fields, timers sit on a hashed wheel, and connections are found in an open-addressing table keyed by a
  * packed address/port long, so one engine holds millions of open sessions.
  *
  * <p>Entry points: {@link io.pcapreplay.tcp.ReplayEngine} (start, startSession, stop, stats),
  * {@link io.pcapreplay.tcp.EngineConfig}, {@link io.pcapreplay.tcp.ExchangeResult} with its
  * {@link io.pcapreplay.tcp.Outcome}, consumed by an {@link io.pcapreplay.tcp.ExchangeListener} or a
  * {@link io.pcapreplay.tcp.SessionHandle}. No JMeter and no {@code net} imports here.
  *
  * <p>{@link io.pcapreplay.tcp.KernelReplayer} replays the same sessions over ordinary kernel sockets instead (no
  * raw IP, no agent): both implement {@link io.pcapreplay.tcp.SessionReplayer} and share the exchange rules
  * ({@code ExchangeRules}); {@link io.pcapreplay.tcp.KernelLimits} says how many sessions the host's ports and file
  * descriptors allow.
  */
package io.pcapreplay.tcp;
