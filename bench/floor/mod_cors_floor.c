/* Licensed under the Apache License, Version 2.0. */

/*
 * mod_cors_floor: the yardstick of bench/run, never part of the product.
 * It does what any CORS implementation must pay for and nothing more:
 * compare the Origin with one constant string and add constant response
 * headers, with no parsing, no policy, no error path and no filter.
 *
 *   CORSFloor https://app.example.com
 *
 * An actual request from that exact Origin gets ACAO, ACAC and
 * "Vary: Origin" in fixups; a preflight (OPTIONS with Origin and
 * Access-Control-Request-Method) gets the preflight's constant headers
 * and a 204 from post_perdir_config.
 */

#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
#include "http_request.h"

module AP_MODULE_DECLARE_DATA cors_floor_module;

typedef struct {
    const char *origin;         /* NULL: off here */
} floor_conf;

static void *floor_create(apr_pool_t *p, char *dir)
{
    return apr_pcalloc(p, sizeof(floor_conf));
}

static void *floor_merge(apr_pool_t *p, void *basev, void *addv)
{
    floor_conf *base = basev, *add = addv;
    floor_conf *conf = apr_palloc(p, sizeof(*conf));

    conf->origin = add->origin ? add->origin : base->origin;
    return conf;
}

static const char *floor_set(cmd_parms *cmd, void *dconf, const char *arg)
{
    ((floor_conf *)dconf)->origin = arg;
    return NULL;
}

static const command_rec floor_cmds[] = {
    AP_INIT_TAKE1("CORSFloor", floor_set, NULL, OR_FILEINFO,
                  "the one origin the floor answers"),
    {NULL}
};

static const char *floor_origin(request_rec *r)
{
    const floor_conf *conf = ap_get_module_config(r->per_dir_config,
                                                  &cors_floor_module);
    const char *origin;

    if (conf->origin == NULL || r->main) {
        return NULL;
    }
    origin = apr_table_get(r->headers_in, "Origin");
    return origin && !strcmp(origin, conf->origin) ? origin : NULL;
}

static int floor_preflight(request_rec *r)
{
    const char *origin;

    if (r->method_number != M_OPTIONS || !(origin = floor_origin(r))
        || !apr_table_get(r->headers_in, "Access-Control-Request-Method")) {
        return DECLINED;
    }
    apr_table_setn(r->headers_out, "Access-Control-Allow-Origin", origin);
    apr_table_setn(r->headers_out, "Access-Control-Allow-Credentials",
                   "true");
    apr_table_setn(r->headers_out, "Access-Control-Allow-Methods",
                   "PUT,DELETE");
    apr_table_setn(r->headers_out, "Access-Control-Allow-Headers",
                   "Content-Type,X-Requested-With");
    apr_table_setn(r->headers_out, "Access-Control-Max-Age", "600");
    apr_table_setn(r->headers_out, "Vary", "Origin, Access-Control-Request-"
                   "Method, Access-Control-Request-Headers");
    return HTTP_NO_CONTENT;
}

static int floor_fixups(request_rec *r)
{
    const char *origin = floor_origin(r);

    if (origin) {
        apr_table_setn(r->headers_out, "Access-Control-Allow-Origin",
                       origin);
        apr_table_setn(r->headers_out, "Access-Control-Allow-Credentials",
                       "true");
        apr_table_mergen(r->headers_out, "Vary", "Origin");
    }
    return DECLINED;
}

static void floor_register_hooks(apr_pool_t *p)
{
    ap_hook_post_perdir_config(floor_preflight, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(floor_fixups, NULL, NULL, APR_HOOK_LAST);
}

AP_DECLARE_MODULE(cors_floor) = {
    STANDARD20_MODULE_STUFF,
    floor_create,
    floor_merge,
    NULL,
    NULL,
    floor_cmds,
    floor_register_hooks,
    AP_MODULE_FLAG_NONE
};
