/*
 * design/cost.h - refinery cost (docs/cost.md; data in models/data/costs.tsv).
 */
#ifndef RX_COST_H
#define RX_COST_H

#include "solver/flowsheet.h"

#define RX_MAX_COST_PRODUCTS 16
#define RX_MAX_SENSITIVITY 16

typedef struct RxSensitivity {
    char input[48];
    double base;               /* the input's value, in its unit */
    char unit[16];
    double cost_lo, cost_hi;   /* cost per kg REO with the input at 80 % and 120 % */
    double npv_lo, npv_hi;     /* NPV likewise */
} RxSensitivity;

typedef struct RxCostResult {
    int year;                  /* money of this year */
    double mixer_m3, settler_m3, organic_m3; /* holdups of all stages */
    double bec;                /* equipment (bare erected) cost, USD */
    double tpc;                /* total plant cost: bec x Lang factor, USD */
    double inventory;          /* first fill of extractant and diluent, USD */
    double tasc;               /* total as-spent capital: tpc x TASC factor + inventory, USD */
    /* operating, USD/yr */
    double acid, base, solvent_loss, power, labour, maintenance, taxes, opex;
    double capital_charge;     /* fixed charge rate x tasc, USD/yr */
    double revenue;            /* USD/yr */
    double product_kg;         /* target REO of every product, kg/yr */
    int nproducts;             /* the products sold (a flowsheet's: those no circuit takes in) */
    char prod_name[RX_MAX_COST_PRODUCTS][2 * RX_NAME_LEN]; /* "product" or "circuit:product" */
    double prod_kg[RX_MAX_COST_PRODUCTS], prod_revenue[RX_MAX_COST_PRODUCTS], prod_cost_per_kg[RX_MAX_COST_PRODUCTS];
    double cost_per_kg;        /* (opex + capital charge) / product_kg, USD/kg REO */
    double npv;                /* -tasc + discounted (revenue - opex) over the plant life, USD */
    double hours, discount_rate, life;
    int nsens;
    RxSensitivity sens[RX_MAX_SENSITIVITY];
} RxCostResult;

/* Cost the solved circuit s of plant p.  RX_BAD_INPUT (err says what is
 * missing: a section's holdups, a price) when it cannot. */
int rx_cost(const RxPlant *p, const RxSolution *s, RxCostResult *out, RxError *err);
/* A flowsheet as one plant: every circuit's equipment and operating cost,
 * revenue from the products no connection takes to another circuit. */
int rx_cost_flowsheet(const RxFlowsheet *fs, const RxFlowsheetResult *r, RxCostResult *out, RxError *err);

#endif
