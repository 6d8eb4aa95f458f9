/*
 * fit/fit.h - fitting model constants to batch shake-out experiments
 * (docs/fit.md).
 *
 * Each experiment is one batch equilibrium of the plant's model: at the
 * measured equilibrium pH when it was measured (RxModelType.split_at_h),
 * otherwise the model's own split of A = 1 L aqueous and O = O/A L organic.
 * The constants named in the plant's fit group are adjusted by weighted
 * nonlinear least squares (GSL gsl_multifit_nlinear, trust-region
 * Levenberg-Marquardt, finite-difference Jacobian); the others keep their
 * values.  fit/ is the only user of GSL.
 */
#ifndef RX_FIT_H
#define RX_FIT_H

#include "core/plant.h"

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

/* What a point measures. */
enum { RX_MEAS_D = 0, RX_MEAS_EXTRACTION = 1, RX_MEAS_AQUEOUS = 2, RX_MEAS_ORGANIC = 3 };

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
    /* Per point: measured and fitted in the residual's space (log10 D or mol/L). */
    double *measured, *fitted, *resid;
} RxFitResult;

void rx_fit_result_free(RxFitResult **r);

/* The quantity a point is compared in: log10 D, or a concentration (mol/L;
 * an extraction point as its equilibrium aqueous concentration).  *ok 0
 * when the value has no such form (D <= 0 or infinite). */
double rx_fit_measured(const RxShakeoutData *d, const RxFitPoint *pt, int residual, int *ok);

/* Predict every point of d with p's model and the parameter vector v (np
 * values of spec's parameters): out[npts] in the residual's space.  work is
 * a copy of the plant (rx_fit_plant) whose model is rebuilt.  RX_OK,
 * RX_NOT_CONVERGED when a batch equilibrium fails, RX_BAD_INPUT. */
int rx_fit_predict(RxPlant *work, const RxFitSpec *spec, const RxShakeoutData *d, const double *v, double *out,
                   RxError *err);

/* A working copy of p whose species are the elements of d (and the base of
 * a saponified experiment), for rx_fit_predict; the caller destroys it. */
int rx_fit_plant(const RxPlant *p, const RxShakeoutData *d, RxPlant **out, RxError *err);

/* Fit spec's parameters of p's model to d.  *out owned by the caller
 * (rx_fit_result_free).  RX_OK; RX_NOT_CONVERGED when the least squares do
 * not converge (*out still filled, with a warning); RX_BAD_INPUT for fewer
 * points than parameters or a model that cannot take a parameter. */
int rx_fit_run(const RxPlant *p, const RxShakeoutData *d, RxFitResult **out, RxError *err);

/* Name of a parameter, e.g. "log10_K(Mn)", into buf (n bytes). */
void rx_fit_param_name(const RxPlant *p, const RxFitParam *q, char *buf, size_t n);

#endif
