#ifndef PRUNELAB_CPU_CHECK_H
#define PRUNELAB_CPU_CHECK_H

/// The instruction set this build of the engine was compiled for ("x86-64-v3"), or "" for a
/// portable build.
const char *prunelab_required_isa(void);

/// Whether the CPU this program runs on has that instruction set (always 1 for a portable build).
int prunelab_cpu_has_required_isa(void);

/// A spin-wait hint (x86 PAUSE, nothing elsewhere): a thread polling a flag calls it between
/// polls, which saves power and leaves the core's other hardware thread its share.
void prunelab_spin_pause(void);

#endif
