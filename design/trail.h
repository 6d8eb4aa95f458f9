/*
 * design/trail.h - what the design search's tasks leave for each other
 * (design/search.c): every circuit a task (a flow point) solves, kept so
 * that its flow neighbours can start the same stage counts from it.
 *
 * A task's trail is read by its neighbour tasks one flow level up (see
 * rx_trail_parent) while it is still being written, from other threads;
 * on several processes (mpi/), a trail written on another one is copied
 * in here as it grows (rx_trail_add, rx_trail_finish from the thread that
 * receives it).
 * A reader that looks for stage counts the trail does not hold yet waits
 * until the writer solves them or finishes, so what it finds depends on
 * the flow grid alone, not on how the threads ran.
 */
#ifndef RX_TRAIL_H
#define RX_TRAIL_H

#include "solver/circuit.h"

typedef struct RxTrails RxTrails;

/* The task whose trail task t reads: one level lower in the first flow
 * whose level is not 0 (levels as rx_design numbers its tasks, the first
 * flow fastest), -1 for task 0.  It is always an earlier task. */
int rx_trail_parent(const RxDesignSpec *d, int t);

/* The tasks whose rx_trail_parent is t, into child[0..n) (at most
 * RX_MAX_DESIGN_VARS); returns n. */
int rx_trail_children(const RxDesignSpec *d, int t, int *child);

/* Trails for the ntasks tasks of design d, as read by the tasks of process
 * rank of size (those with t % size == rank; 0 of 1: all): a trail no such
 * task reads keeps nothing.  NULL when out of memory. */
RxTrails *rx_trails_create(const RxDesignSpec *d, int ntasks, int rank, int size);
/* Free every trail (NULL is fine) and NULL the handle. */
void rx_trails_destroy(RxTrails **tr);

/* Task t solved stage counts stages[0..nvars) to solution s: its totals
 * are kept (a copy).  RX_OK or RX_NO_MEMORY (the trail just misses it). */
int rx_trail_add(RxTrails *tr, int t, const int *stages, int nvars, const RxSolution *s);
/* Task t solves no more: readers stop waiting for it. */
void rx_trail_finish(RxTrails *tr, int t);
/* The totals task t kept for these stage counts (a solution with only N,
 * M and T set, borrowed until rx_trail_release), waiting while t is not
 * finished and has not solved them; NULL when it never does. */
const RxSolution *rx_trail_find(RxTrails *tr, int t, const int *stages, int nvars);
/* One reader of task t's trail is done with it; the last frees it. */
void rx_trail_release(RxTrails *tr, int t);

#endif
