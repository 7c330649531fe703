//! What changed of a context, field by field, without serialising it for
//! Tera: [`FieldHashes`] hashes each top-level field of a typed context
//! (as JSON text, which names every part of it), so a live rebuild can tell
//! which fields of a page an edit changed by comparing two lists of
//! numbers, whatever the page's kind and whatever fields it grows.

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hasher};

use serde::Serialize;
use serde::ser::{Error, Impossible, SerializeStruct, Serializer};

/// Each top-level field of a context by name, with a hash of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldHashes(Vec<(&'static str, u64)>);

/// The value given to [`FieldHashes::of`] was not a struct of serialisable fields.
#[derive(Debug)]
pub struct NotAStruct(String);

impl std::fmt::Display for NotAStruct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "not a struct of fields: {}", self.0)
    }
}

impl std::error::Error for NotAStruct {}

impl Error for NotAStruct {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        NotAStruct(msg.to_string())
    }
}

impl FieldHashes {
    pub fn of(context: &impl Serialize) -> Result<FieldHashes, NotAStruct> {
        context.serialize(Fields)
    }

    /// The fields whose values differ from `before` (or that it lacks).
    pub fn changed(&self, before: &FieldHashes) -> BTreeSet<&'static str> {
        self.0.iter().filter(|field| !before.0.contains(field)).map(|(name, _)| *name).collect()
    }
}

/// Writes JSON text into a hasher.
struct HashWriter(DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        Hasher::write(&mut self.0, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A serializer that takes only a struct, and hashes each of its fields.
struct Fields;

/// The fields hashed so far.
struct Collect(Vec<(&'static str, u64)>);

impl SerializeStruct for Collect {
    type Ok = FieldHashes;
    type Error = NotAStruct;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), NotAStruct> {
        let mut writer = HashWriter(DefaultHasher::new());
        serde_json::to_writer(&mut writer, value).map_err(NotAStruct::custom)?;
        self.0.push((key, writer.0.finish()));
        Ok(())
    }

    fn end(self) -> Result<FieldHashes, NotAStruct> {
        Ok(FieldHashes(self.0))
    }
}

/// Every `serialize_*` method but `serialize_struct` refuses.
macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<FieldHashes, NotAStruct> {
            Err(NotAStruct(stringify!($method).to_string()))
        })*
    };
}

impl Serializer for Fields {
    type Ok = FieldHashes;
    type Error = NotAStruct;
    type SerializeSeq = Impossible<FieldHashes, NotAStruct>;
    type SerializeTuple = Impossible<FieldHashes, NotAStruct>;
    type SerializeTupleStruct = Impossible<FieldHashes, NotAStruct>;
    type SerializeTupleVariant = Impossible<FieldHashes, NotAStruct>;
    type SerializeMap = Impossible<FieldHashes, NotAStruct>;
    type SerializeStruct = Collect;
    type SerializeStructVariant = Impossible<FieldHashes, NotAStruct>;

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Collect, NotAStruct> {
        Ok(Collect(Vec::with_capacity(len)))
    }

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<FieldHashes, NotAStruct> {
        Err(NotAStruct("an option".into()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<FieldHashes, NotAStruct> {
        Err(NotAStruct("a newtype".into()))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<FieldHashes, NotAStruct> {
        Err(NotAStruct("an enum".into()))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAStruct> {
        Err(NotAStruct("a sequence".into()))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAStruct> {
        Err(NotAStruct("a tuple".into()))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, NotAStruct> {
        Err(NotAStruct("a tuple struct".into()))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotAStruct> {
        Err(NotAStruct("an enum".into()))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAStruct> {
        Err(NotAStruct("a map".into()))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotAStruct> {
        Err(NotAStruct("an enum".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Card<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        when: Option<u32>,
    }

    #[test]
    fn names_the_fields_whose_values_differ() {
        let before = FieldHashes::of(&Card { title: "A", tags: vec!["x"], when: None }).unwrap();
        let after = FieldHashes::of(&Card { title: "A", tags: vec!["x", "y"], when: Some(1) }).unwrap();
        assert_eq!(after.changed(&before), BTreeSet::from(["tags", "when"]));
        assert!(before.changed(&before).is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_struct() {
        assert!(FieldHashes::of(&vec![1, 2]).is_err());
        assert!(FieldHashes::of(&"text").is_err());
    }
}
