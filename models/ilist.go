package models

// listTag names the list an element is in; listNone is none. Each owner
// (the FaaS model, a fleet) numbers its own lists from 1.
type listTag uint8

const listNone listTag = 0

// link is one element's place in an intrusive list. Links live in a table
// parallel to the elements ([]link indexed like the arena), not in the
// elements: moving an element touches 12-byte entries, not its neighbours'
// whole records, which matters with 100,000 instances alive.
type link struct {
	prev, next int32
	tag        listTag
}

// growLinks makes links long enough to hold element i, unlinked.
func growLinks(links []link, i int32) []link {
	for int32(len(links)) <= i {
		links = append(links, link{prev: -1, next: -1})
	}
	return links
}

// ilist is an intrusive doubly linked list of element indices, so moving an
// element to the front or unlinking it from the middle is O(1) and allocates
// nothing. An element is in at most one list at a time.
type ilist struct{ head int32 }

func newIList() ilist { return ilist{head: -1} }

func (l *ilist) pushFront(ls []link, i int32, tag listTag) {
	x := &ls[i]
	x.prev, x.next, x.tag = -1, l.head, tag
	if l.head >= 0 {
		ls[l.head].prev = i
	}
	l.head = i
}

func (l *ilist) remove(ls []link, i int32) {
	x := &ls[i]
	if x.prev >= 0 {
		ls[x.prev].next = x.next
	} else {
		l.head = x.next
	}
	if x.next >= 0 {
		ls[x.next].prev = x.prev
	}
	x.prev, x.next, x.tag = -1, -1, listNone
}

// moveFront makes i the head (it must be in this list, tagged tag, or in none).
func (l *ilist) moveFront(ls []link, i int32, tag listTag) {
	if l.head == i {
		return
	}
	if ls[i].tag == tag {
		l.remove(ls, i)
	}
	l.pushFront(ls, i, tag)
}
