//! An SDK token's claims, read by the browser: `atob` for the base64 and `JSON.parse` for the
//! JSON (the app ships no decoder of its own). Wrongly typed claims are refused as the token's
//! JSON being wrong, so a name never shows as "[object Object]".

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::JsValue;

use crate::logic::token::{self, Claims, TokenError};

/// Decodes the claims of a JWT (`header.payload.signature`), ignoring the signature.
pub fn decode(token: &str) -> Result<Claims, TokenError> {
    let base64 = token::payload(token)?;
    let window = web_sys::window().ok_or(TokenError::NotBase64)?;
    let binary = window.atob(&base64).map_err(|_| TokenError::NotBase64)?;
    // `atob` gives one character per byte; the bytes are the JSON's UTF-8.
    let bytes: Vec<u8> = binary.chars().map(|c| c as u32 as u8).collect();
    let text = String::from_utf8(bytes).map_err(|_| TokenError::NotJson)?;
    let json = JSON::parse(&text).map_err(|_| TokenError::NotJson)?;
    if !json.is_object() || Array::is_array(&json) {
        return Err(TokenError::NotJson);
    }
    let field = |name: &str| Reflect::get(&json, &JsValue::from_str(name)).ok();
    let string = |name: &str| match field(name) {
        Some(v) if v.is_string() => Ok(v.as_string().unwrap_or_default()),
        Some(v) if v.is_undefined() || v.is_null() => Ok(String::new()),
        _ => Err(TokenError::NotJson),
    };
    let exp = match field("exp") {
        Some(v) if v.is_undefined() || v.is_null() => None,
        Some(v) if js_sys::Number::is_safe_integer(&v) => v.as_f64().map(|s| s as i64),
        _ => return Err(TokenError::NotJson),
    };
    let roles = match field("roles") {
        Some(v) if v.is_undefined() || v.is_null() => Vec::new(),
        Some(v) if Array::is_array(&v) => Array::from(&v)
            .iter()
            .map(|role| role.as_string().ok_or(TokenError::NotJson))
            .collect::<Result<_, _>>()?,
        _ => return Err(TokenError::NotJson),
    };
    Ok(Claims {
        sub: string("sub")?,
        name: string("name")?,
        email: string("email")?,
        iss: string("iss")?,
        exp,
        roles,
    })
}
