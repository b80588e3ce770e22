//! Hostile inputs in whole runs: long lists in full, no forged command, refused URLs, pasted lines
//! (the properties of the pure functions are unit tests in src/inputs/tests).

mod runs;

use std::collections::HashMap;

use crate::support::runner_protocol::parse_command;
use crate::support::*;
