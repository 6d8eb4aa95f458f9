/*
 * solver/stagemap.h - a section's profile laid over another stage count
 * (docs/model.md, "Start" and "Warm starts and continuation").
 */
#ifndef RX_STAGEMAP_H
#define RX_STAGEMAP_H

/* How a section's profile follows its new stage count:
 *   RX_REMAP_STRETCH  stage i of n takes the old profile at relative
 *                     position i/(n - 1), interpolated linearly in ln T
 *                     (a section of one stage in `from` gives its only
 *                     stage to every stage; one of one stage in `to` takes
 *                     the middle of the old one);
 *   RX_REMAP_PINCH    the ends keep their profile stage for stage, and the
 *                     stages are added (interpolated in ln T) or taken
 *                     where the profile is flat: in a long section that is
 *                     the pinch between the fronts, where a real cascade
 *                     puts its extra stages too (rx_section_positions).
 * Neither is right for every change (docs/model.md, "Warm starts and
 * continuation"): stretching suits short sections, the pinch long ones. */
enum { RX_REMAP_STRETCH = 0, RX_REMAP_PINCH = 1 };

/* Where the m stages of a section sit on its n stages in a profile lnT
 * (n stages of M, ln T): t[0..m) in those stages' numbers, 0 .. n - 1,
 * fractional between two stages.  RX_REMAP_PINCH with stages added keeps
 * one interval for each old one and shares the added stages out where the
 * profile is flat (in proportion to 1/(0.01 + the largest change in ln T of
 * a component that is at least 1 % of its stage's metal)); with stages
 * taken, takes them one at a time from the interval that changes least,
 * never an end while others remain.  scratch: 2n doubles. */
void rx_section_positions(int n, int m, int M, const double *lnT, int mode, double *t, double *scratch);
/* to[i] (w values each) interpolated linearly in from (n rows of w) at
 * position t[i] (rx_section_positions), for i < m. */
void rx_section_interpolate(int n, int w, const double *from, const double *t, int m, double *to);

#endif
