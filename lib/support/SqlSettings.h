// Session settings written as SQL (`SET statement_timeout = 5000`) and
// PostgreSQL time values ("5000", "5s", '2min'), read the way the server reads them.
#pragma once

#include "model/Facts.h"

#include <optional>
#include <string>
#include <utility>

namespace im::support {

/// `SET [SESSION] name {= | TO} value`: the name (lower case) and the value
/// without quotes. `SET LOCAL` lasts one transaction only and is not read.
/// https://www.postgresql.org/docs/current/sql-set.html
std::optional<std::pair<std::string, std::string>> parseSqlSet(const std::string &Sql);

/// A PostgreSQL time setting as a string ("5000", "5s", "2min", "500 ms"; a bare
/// number is milliseconds, as for statement_timeout) folded into milliseconds
/// (Kind Float). Left unchanged when it is not one.
/// https://www.postgresql.org/docs/current/config-setting.html#CONFIG-SETTING-NAMES-VALUES
void pgDuration(model::Value &V);

} // namespace im::support
