/*
 * output/common.c - what the writers share: CSV and JSON numbers that are
 * never NaN, JSON files written atomically, a summary's plant header.
 */
#include "output/writer.h"

#include "core/fileio.h"
#include "models/model.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* RFC 4180: a field holding one of these is enclosed in double quotes. */
#define CSV_NEEDS_QUOTES ",\"\r\n"
/* A text cell starting with one of these is a formula to a spreadsheet
 * (OWASP "CSV injection"); a leading ' makes it text. */
#define CSV_FORMULA_START "=+-@\t\r"
#define CSV_FORMULA_GUARD '\''
/* A cell made by rx_csv_textf fits here; a longer one is allocated. */
#define CSV_CELL_ROOM 256

void rx_csv_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, ",%.10g", v);
    else
        fputs(",", f);
}

void rx_csv_text(FILE *f, int first, const char *s)
{
    if (!first)
        fputc(',', f);
    int quote = strpbrk(s, CSV_NEEDS_QUOTES) != NULL;
    if (quote)
        fputc('"', f);
    if (s[0] && s[1] && strchr(CSV_FORMULA_START, s[0])) /* "-" alone (a unit) is no formula */
        fputc(CSV_FORMULA_GUARD, f);
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            fputc('"', f);
        fputc(*c, f);
    }
    if (quote)
        fputc('"', f);
}

void rx_csv_textf(FILE *f, int first, const char *fmt, ...)
{
    char room[CSV_CELL_ROOM], *cell = room;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(room, sizeof room, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof room && (cell = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(cell, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    rx_csv_text(f, first, cell ? cell : room); /* out of memory: the cell cut short */
    if (cell != room)
        free(cell);
}

double rx_ph_of(double h)
{
    return h > 0 ? -log10(h) + 0.0 : NAN; /* + 0.0: no "-0" */
}

void rx_json_num(cJSON *o, const char *key, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, key, v);
    else
        cJSON_AddNullToObject(o, key);
}

int rx_write_json(cJSON *root, const char *path, RxError *err)
{
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return rx_error_set(err, RX_NO_MEMORY, NULL, "out of memory");
    RxAtomicFile a;
    int rc = rx_atomic_open(&a, path, err);
    if (rc == RX_OK) {
        fputs(text, a.f);
        fputs("\n", a.f);
        rc = rx_atomic_close(&a, err);
    }
    free(text);
    return rc;
}

cJSON *rx_json_plant(const RxPlant *p)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "config", p->path);
    cJSON_AddStringToObject(root, "title", p->title);
    cJSON_AddStringToObject(root, "model", rx_plant_model_name(p));
    /* What each constant rests on (docs/model.md, "Data provenance"). */
    int cls[RX_MAX_SPECIES], indicative = rx_model_provenance(p, cls);
    cJSON *k = cJSON_AddObjectToObject(root, "constants");
    for (int j = 0; k && j < p->nsp; j++)
        cJSON_AddStringToObject(k, rx_plant_element(p, j)->sym,
                                cls[j] < 0 ? "unsourced" : cls[j] == RX_CLASS_GIVEN ? "given" : rx_data_class_name(cls[j]));
    cJSON_AddBoolToObject(root, "indicative", indicative);
    return root;
}

cJSON *rx_json_product(const RxPlant *p, int i)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", p->products[i].name);
    cJSON_AddStringToObject(o, "stream", p->products[i].stream);
    cJSON *t = cJSON_AddArrayToObject(o, "targets");
    for (int k = 0; t && k < p->products[i].ntargets; k++)
        cJSON_AddItemToArray(t, cJSON_CreateString(rx_plant_element(p, p->products[i].targets[k])->sym));
    return o;
}
