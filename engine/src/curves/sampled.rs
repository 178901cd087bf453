//! A bounded log of records, evenly thinned as it grows.
//!
//! Records arrive in order (an evaluation every few steps, layer norms once per chunk). All are
//! kept until `cap`; then every other one is dropped and only every `stride`-th arrival is kept
//! from there on, `stride` doubling each time the log fills again. The newest record is always
//! the last one, kept or not, so charts and checks see where the run is now. What is kept is
//! evenly spaced over the whole run: a check that reads "the last third of the evaluations"
//! reads the last third of the run, as it did with every record kept.

use serde::{Deserialize, Serialize};
use std::ops::Deref;

/// Default cap: a few times more than a chart has pixel columns.
pub const CAP: usize = 2048;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sampled<T> {
    items: Vec<T>,
    cap: usize,
    /// Arrivals per kept record.
    stride: u64,
    /// Records pushed so far.
    seen: u64,
    /// The last item is the newest arrival, kept only until the next one (it is off-stride).
    extra: bool,
}

impl<T> Default for Sampled<T> {
    fn default() -> Self {
        Sampled::new(CAP)
    }
}

impl<T> Sampled<T> {
    /// At most `cap` records (plus the newest); `cap` is rounded up to an even number.
    pub fn new(cap: usize) -> Self {
        assert!(cap >= 2);
        Sampled {
            items: Vec::new(),
            cap: cap + cap % 2,
            stride: 1,
            seen: 0,
            extra: false,
        }
    }

    pub fn push(&mut self, item: T) {
        if self.extra {
            self.items.pop();
        }
        let on_stride = self.seen.is_multiple_of(self.stride);
        self.seen += 1;
        self.extra = !on_stride;
        self.items.push(item);
        if on_stride && self.items.len() >= self.cap {
            // Keep arrivals 0, 2·stride, 4·stride, ...: the even positions. The newest sits at
            // an odd one (the cap is even): it stays, as the off-stride newest.
            let newest = self.items.pop();
            let mut i = 0;
            self.items.retain(|_| {
                i += 1;
                i % 2 == 1
            });
            self.items.extend(newest);
            self.extra = true;
            self.stride *= 2;
        }
    }

    /// Records pushed so far (kept or not).
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Heap memory of the log itself, in bytes (what its records own on the heap is theirs).
    pub fn heap_bytes(&self) -> usize {
        self.items.capacity() * size_of::<T>()
    }

    /// Arrivals per kept record: 1 while every record is kept.
    pub fn stride(&self) -> u64 {
        self.stride
    }
}

impl<T> Deref for Sampled<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> Extend<T> for Sampled<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        iter.into_iter().for_each(|x| self.push(x));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_everything_until_the_cap() {
        let mut s = Sampled::new(8);
        s.extend(0..7u64);
        assert_eq!(&s[..], &[0, 1, 2, 3, 4, 5, 6]);
        assert_eq!((s.seen(), s.stride()), (7, 1));
    }

    #[test]
    fn thins_evenly_and_keeps_the_newest() {
        let mut s = Sampled::new(8);
        for n in 0..1_000_000u64 {
            s.push(n);
            assert!(s.len() <= 9, "{} items", s.len());
            assert_eq!(s.last(), Some(&n), "the newest is always there");
            let kept = if s.extra { &s[..s.len() - 1] } else { &s[..] };
            // Evenly spaced from the first arrival on.
            assert!(kept.iter().enumerate().all(|(i, &x)| x == i as u64 * s.stride()));
        }
        assert!(s.len() >= 4, "never thinner than half the cap");
        assert_eq!(s.seen(), 1_000_000);
    }

    #[test]
    fn serde_round_trip() {
        let mut s = Sampled::new(4);
        s.extend(0..11u32);
        let back: Sampled<u32> = toml::from_str(&toml::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
