#pragma once
// Simulated crashes, the way crash-safety campaigns test a program: places
// where a real crash would hurt most (inside a store transaction, between a
// checkpoint's files, in the middle of writing a cache entry) name
// themselves, and a test picks one through the environment.
//
//   COS_CRASH_AT=NAME:N    the process kills itself with SIGKILL the N-th
//                          time it passes crash point NAME
//   COS_CRASH_TALLY=FILE   at a normal exit, writes how often each point was
//                          passed ("NAME COUNT" lines), so a test can choose N
//
// With neither variable set a crash point is one relaxed atomic load.

namespace cosw {

void crashPoint(const char *name);

} // namespace cosw
