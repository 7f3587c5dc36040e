/**
  * The replay engine: a user-space TCP client per replayed session, driven by one event loop.
  *
  * <p>Sessions are not kernel sockets: the engine writes raw IP packets from fake client addresses and reads the
  * target's answers from the intercept agent. Per-session state is a handful of primitive fields, timers sit on a
  * hashed wheel, and connections are found in an open-addressing table keyed by a packed address/port long, so one
  * engine holds millions of open sessions.
  */
package io.pcapreplay.tcp;
