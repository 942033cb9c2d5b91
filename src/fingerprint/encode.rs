//! The bytes a value is fingerprinted from: serde's data model written as
//! it comes, each value tagged with its kind and strings and names length
//! first, so that no two different values give the same bytes (every
//! value's bytes are self-delimiting, and a sequence, map or struct ends
//! with a mark no value starts with). Unlike JSON, nothing is escaped or
//! formatted as text: numbers are their bytes, a string is copied as it
//! is. A struct's fields are written with their names, so a field left out
//! (`skip_serializing_if`) cannot be mistaken for the next one.
//!
//! Only ever hashed, never read back: the format may change between
//! versions (a memo from another version is not trusted).

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// Bytes gathered before they are handed to the hash: xxh3 takes large
/// pieces much faster than small ones.
const PIECE: usize = 16 * 1024;

mod tag {
    pub const BOOL: u8 = 1;
    pub const INT: u8 = 2;
    pub const UINT: u8 = 3;
    pub const INT128: u8 = 4;
    pub const UINT128: u8 = 5;
    pub const FLOAT: u8 = 6;
    pub const CHAR: u8 = 7;
    pub const STR: u8 = 8;
    pub const BYTES: u8 = 9;
    pub const NONE: u8 = 10;
    pub const SOME: u8 = 11;
    pub const UNIT: u8 = 12;
    pub const UNIT_STRUCT: u8 = 13;
    pub const UNIT_VARIANT: u8 = 14;
    pub const NEWTYPE_STRUCT: u8 = 15;
    pub const NEWTYPE_VARIANT: u8 = 16;
    pub const SEQ: u8 = 17;
    pub const END: u8 = 18;
    pub const TUPLE_VARIANT: u8 = 19;
    pub const MAP: u8 = 20;
    pub const STRUCT: u8 = 21;
    pub const FIELD: u8 = 22;
    pub const STRUCT_VARIANT: u8 = 23;
}

/// Writes values into a hash.
pub struct Encoder<'h> {
    hash: &'h mut Xxh3,
    buffer: Vec<u8>,
}

/// Serializing into a hash cannot fail but by a value's own error.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Error(String);

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

impl<'h> Encoder<'h> {
    pub fn new(hash: &'h mut Xxh3) -> Encoder<'h> {
        Encoder {
            hash,
            buffer: Vec::with_capacity(PIECE + 256),
        }
    }

    /// Hands what is left to the hash.
    pub fn finish(mut self) {
        self.hash.update(&self.buffer);
        self.buffer.clear();
    }

    fn bytes(&mut self, bytes: &[u8]) {
        if self.buffer.len() + bytes.len() > PIECE {
            self.hash.update(&self.buffer);
            self.buffer.clear();
            if bytes.len() > PIECE {
                self.hash.update(bytes);
                return;
            }
        }
        self.buffer.extend_from_slice(bytes);
    }

    fn tag(&mut self, tag: u8) {
        self.bytes(&[tag]);
    }

    /// A value of fixed size: its tag, then its bytes.
    fn number(&mut self, tag: u8, bytes: &[u8]) -> Result {
        self.tag(tag);
        self.bytes(bytes);
        Ok(())
    }

    /// A length-first string (a name or a text).
    fn text(&mut self, text: &[u8]) {
        self.bytes(&(text.len() as u64).to_le_bytes());
        self.bytes(text);
    }
}

type Result<T = ()> = std::result::Result<T, Error>;

/// Smaller numbers written as the widest of their kind: `1u8` and `1u64`
/// are the same number, as they are in JSON.
macro_rules! widened {
    ($($method:ident: $narrow:ty => $wide:ident),*) => {$(
        fn $method(self, v: $narrow) -> Result {
            self.$wide(v.into())
        }
    )*};
}

impl ser::Serializer for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    widened!(
        serialize_i8: i8 => serialize_i64,
        serialize_i16: i16 => serialize_i64,
        serialize_i32: i32 => serialize_i64,
        serialize_u8: u8 => serialize_u64,
        serialize_u16: u16 => serialize_u64,
        serialize_u32: u32 => serialize_u64,
        serialize_f32: f32 => serialize_f64
    );

    fn serialize_bool(self, v: bool) -> Result {
        self.bytes(&[tag::BOOL, u8::from(v)]);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.number(tag::INT, &v.to_le_bytes())
    }
    fn serialize_i128(self, v: i128) -> Result {
        self.number(tag::INT128, &v.to_le_bytes())
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.number(tag::UINT, &v.to_le_bytes())
    }
    fn serialize_u128(self, v: u128) -> Result {
        self.number(tag::UINT128, &v.to_le_bytes())
    }
    fn serialize_f64(self, v: f64) -> Result {
        self.number(tag::FLOAT, &v.to_bits().to_le_bytes())
    }
    fn serialize_char(self, v: char) -> Result {
        self.number(tag::CHAR, &u32::from(v).to_le_bytes())
    }
    fn serialize_str(self, v: &str) -> Result {
        self.tag(tag::STR);
        self.text(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result {
        self.tag(tag::BYTES);
        self.text(v);
        Ok(())
    }
    fn serialize_none(self) -> Result {
        self.tag(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result {
        self.tag(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result {
        self.tag(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result {
        self.tag(tag::UNIT_STRUCT);
        self.text(name.as_bytes());
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.tag(tag::UNIT_VARIANT);
        self.text(variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result {
        self.tag(tag::NEWTYPE_STRUCT);
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result {
        self.tag(tag::NEWTYPE_VARIANT);
        self.text(variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self> {
        begin(self, tag::SEQ, None)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self> {
        begin(self, tag::SEQ, None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self> {
        begin(self, tag::SEQ, None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self> {
        begin(self, tag::TUPLE_VARIANT, Some(variant))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self> {
        begin(self, tag::MAP, None)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self> {
        begin(self, tag::STRUCT, None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self> {
        begin(self, tag::STRUCT_VARIANT, Some(variant))
    }
}

/// A sequence, map or struct begun: its tag, and its variant's name.
fn begin<'a, 'h>(
    encoder: &'a mut Encoder<'h>,
    tag: u8,
    variant: Option<&str>,
) -> Result<&'a mut Encoder<'h>> {
    encoder.tag(tag);
    if let Some(variant) = variant {
        encoder.text(variant.as_bytes());
    }
    Ok(encoder)
}

/// Elements, one after the other, then the end mark.
macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result {
                self.tag(tag::END);
                Ok(())
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Encoder<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result {
        self.tag(tag::END);
        Ok(())
    }
}

/// Fields, each its name then its value, then the end mark.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for &mut Encoder<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result {
                self.tag(tag::FIELD);
                self.text(name.as_bytes());
                value.serialize(&mut **self)
            }
            fn end(self) -> Result {
                self.tag(tag::END);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);
