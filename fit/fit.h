/*
 * fit/fit.h - fitting model constants and stage efficiencies to batch
 * shake-out experiments and to a running circuit's stage profile
 * (docs/fit.md).
 *
 * Each experiment is one batch equilibrium of the plant's model: at the
 * measured equilibrium pH when it was measured (RxModelType.split_at_h),
 * otherwise the model's own split of A = 1 L aqueous and O = O/A L organic.
 * A stage profile is predicted by solving the plant's whole circuit (warm
 * started from the last solution).  The parameters named in the plant's
 * fit group are adjusted by weighted nonlinear least squares (GSL
 * gsl_multifit_nlinear, trust-region Levenberg-Marquardt, finite-difference
 * Jacobian); the others keep their values.  fit/ is the only user of GSL.
 */
#ifndef RX_FIT_H
#define RX_FIT_H

#include "core/plant.h"
#include "solver/circuit.h"

/* One experiment, in internal units.  Borrowed by nothing. */
typedef struct RxShakeout {
    char name[RX_NAME_LEN];  /* the experiment column, or the line number */
    int line;                /* 1-based line in the CSV */
    int nel;
    int elem[RX_MAX_SPECIES];  /* element-table rows */
    double c0[RX_MAX_SPECIES]; /* initial aqueous, mol/L */
    double h0;               /* initial free acid, mol/L H+; < 0: not given */
    double ph_eq;            /* measured equilibrium pH; has_ph 0: not measured */
    int has_ph;
    double oa;               /* O/A volume ratio, > 0 */
    double ce;               /* extractant, mol/L monomer HA, > 0 */
    double sap;              /* saponification, mol base per mol HA, [0, 1) */
    double temperature;      /* degC; NAN-free: 0 with has_temperature 0 */
    int has_temperature;
} RxShakeout;

/* One measured value of one element in one experiment. */
typedef struct RxFitPoint {
    int exp;                 /* index into RxShakeoutData.exp */
    int elem;                /* element-table row */
    int kind;                /* RX_MEAS_* */
    double value;            /* D (-), extraction (fraction), or mol/L */
    int line;
} RxFitPoint;

#define RX_FIT_MSG 1024

/* A shake-out file as read (config/shakeout.c fills it). */
typedef struct RxShakeoutData {
    char path[512];
    int nexp;
    RxShakeout *exp;
    int npts;
    RxFitPoint *pts;
    int ndropped;            /* unusable measurements, each with its reason */
    char (*dropped)[RX_FIT_MSG];
} RxShakeoutData;

void rx_shakeout_free(RxShakeoutData *d);

/* One measured value on the running circuit: a stage's aqueous or organic
 * concentration, or its aqueous pH (an outlet is its stage's phase). */
typedef struct RxProfilePoint {
    char where[RX_NAME_LEN]; /* as the row names the place: "12", "scrub:3", "raffinate" */
    int stage;               /* 0-based */
    int elem;                /* element-table row; -1 for a pH */
    int kind;                /* RX_MEAS_AQUEOUS, RX_MEAS_ORGANIC or RX_MEAS_PH */
    double value;            /* mol/L, or the pH */
    int line;
} RxProfilePoint;

/* A stage-profile file as read (config/profile.c fills it). */
typedef struct RxProfileData {
    char path[512];
    int npts;
    RxProfilePoint *pts;
    int ndropped;
    char (*dropped)[RX_FIT_MSG];
} RxProfileData;

void rx_profile_free(RxProfileData *d);

/* The answer.  Arrays sized by np (parameters) or npts (points). */
#define RX_FIT_MAX_WARN 16
typedef struct RxFitResult {
    int np, npts, dof;
    RxFitParam param[RX_MAX_FIT_PARAMS]; /* what was fitted (copied from the spec) */
    double est[RX_MAX_FIT_PARAMS];
    double se[RX_MAX_FIT_PARAMS];        /* standard error; HUGE_VAL when the data do not determine it */
    double lo95[RX_MAX_FIT_PARAMS], hi95[RX_MAX_FIT_PARAMS];
    double corr[RX_MAX_FIT_PARAMS * RX_MAX_FIT_PARAMS]; /* column-major */
    double rmse;             /* sqrt(sum w r^2 / dof), in the residual's unit */
    double t95;              /* the t quantile used for the intervals */
    double rcond;            /* reciprocal condition number of the Jacobian */
    int iterations;
    int residual;            /* RX_RESID_* */
    int nwarn;
    char warn[RX_FIT_MAX_WARN][RX_FIT_MSG];
    int nshake;              /* points 0..nshake-1 are shake-outs, the rest the profile's */
    /* Per point: measured and fitted in the residual's space (log10 D,
     * mol/L, log10 mol/L, or pH), the residual fitted - measured, and its
     * weight (multiplies the squared residual). */
    double *measured, *fitted, *resid, *weight;
} RxFitResult;

void rx_fit_result_free(RxFitResult **r);

/* The quantity a point is compared in: log10 D, or a concentration (mol/L;
 * an extraction point as its equilibrium aqueous concentration) or its
 * log10.  *ok 0 when the value has no such form (D <= 0 or infinite, the
 * log of a concentration that is not positive). */
double rx_fit_measured(const RxShakeoutData *d, const RxFitPoint *pt, int residual, int *ok);
double rx_fit_profile_measured(const RxProfilePoint *pt, int residual, int *ok);

/* Predict every point of d with p's model and the parameter vector v (np
 * values of spec's parameters): out[npts] in the residual's space.  work is
 * a copy of the plant (rx_fit_plant) whose model is rebuilt.  RX_OK,
 * RX_NOT_CONVERGED when a batch equilibrium fails, RX_BAD_INPUT. */
int rx_fit_predict(RxPlant *work, const RxFitSpec *spec, const RxShakeoutData *d, const double *v, double *out,
                   RxError *err);

/* A working copy of p whose species are the elements of d (and the base of
 * a saponified experiment), for rx_fit_predict; the caller destroys it. */
int rx_fit_plant(const RxPlant *p, const RxShakeoutData *d, RxPlant **out, RxError *err);

/* The circuit a profile is predicted on: a copy of the plant, and its last
 * solution, from which the next solve starts. */
typedef struct RxFitCircuit {
    RxPlant *plant;
    RxSolution *last;
} RxFitCircuit;

int rx_fit_circuit(const RxPlant *p, RxFitCircuit *c, RxError *err);
void rx_fit_circuit_free(RxFitCircuit *c);

/* Predict every point of the profile d on c's circuit with the parameter
 * vector v: out[npts] in the residual's space.  RX_NOT_CONVERGED when the
 * circuit does not solve. */
int rx_fit_predict_profile(RxFitCircuit *c, const RxFitSpec *spec, const RxProfileData *d, const double *v,
                           double *out, RxError *err);

/* Fit spec's parameters of p to the shake-outs d and the stage profile
 * prof (either may be NULL or empty, not both).  *out owned by the caller
 * (rx_fit_result_free).  RX_OK; RX_NOT_CONVERGED when the least squares do
 * not converge (*out still filled, with a warning); RX_BAD_INPUT for fewer
 * points than parameters or a model that cannot take a parameter. */
int rx_fit_run(const RxPlant *p, const RxShakeoutData *d, const RxProfileData *prof, RxFitResult **out,
               RxError *err);

/* The empirical_logd line of element elem as r fitted it: coefficients
 * m0 m1 B0 B1 (RX_LINE_*; those not fitted as the fit held them) and their
 * standard errors (NAN for those not fitted). */
void rx_fit_line(const RxPlant *p, const RxFitResult *r, int elem, double c[4], double se[4]);

/* Name of a parameter, e.g. "log10_K(Mn)" or "efficiency(scrub)", into buf (n bytes). */
void rx_fit_param_name(const RxPlant *p, const RxFitParam *q, char *buf, size_t n);

#endif
