/* The statements' rows as data (stmt_table.def): what every layer asks of
 * a statement beside its own semantics. */
#include "scenario/ast.h"

static const struct sc_stmt_info rows[SC_OP_COUNT] = {
#define SC_STMT(op, keyword, name, kind, flags, synopsis, ...) \
	[SC_OP_##op] = { keyword, name, SC_KIND_##kind, flags, synopsis },
#include "scenario/stmt_table.def"
};

const struct sc_stmt_info *sc_stmt_info(enum sc_op op)
{
	if ((unsigned)op >= SC_OP_COUNT)
		return NULL;
	return &rows[op];
}

const char *sc_op_name(enum sc_op op)
{
	if ((unsigned)op >= SC_OP_COUNT)
		return "?";
	return rows[op].name;
}

bool sc_op_may_block(enum sc_op op)
{
	return (unsigned)op < SC_OP_COUNT && (rows[op].flags & SC_BLOCKS);
}

bool sc_stmt_has_result(enum sc_op op)
{
	if ((unsigned)op >= SC_OP_COUNT || (rows[op].flags & SC_NORETURN))
		return false;
	return rows[op].kind == SC_KIND_CALL || rows[op].kind == SC_KIND_KERNEL;
}
