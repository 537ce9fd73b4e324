//! The mock's errors, worded like a real server's: what is wrong and, where it helps, what to
//! do. One place so the same situation always gets the same code.

use tonic::Status;

pub fn required(field: &str) -> Status {
    Status::invalid_argument(format!("{field} is required"))
}

pub fn invalid(field: &str, why: impl std::fmt::Display) -> Status {
    Status::invalid_argument(format!("{field}: {why}"))
}

pub fn not_found(kind: &str, id: &str) -> Status {
    Status::not_found(format!("{kind} {id} not found"))
}

pub fn precondition(why: impl Into<String>) -> Status {
    Status::failed_precondition(why)
}

pub fn already_exists(why: impl Into<String>) -> Status {
    Status::already_exists(why)
}
