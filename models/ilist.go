package models

// ilist is an intrusive doubly linked list of instance indices (links live
// in the instances), so moving an instance to the front or unlinking it from
// the middle is O(1) and allocates nothing. An instance is in at most one
// list; instance.list holds the tag of the list it is in (0 none).
type ilist struct{ head int32 }

func newIList() ilist { return ilist{head: -1} }

func (l *ilist) pushFront(in []instance, i int32, tag uint8) {
	x := &in[i]
	x.prev, x.next, x.list = -1, l.head, tag
	if l.head >= 0 {
		in[l.head].prev = i
	}
	l.head = i
}

func (l *ilist) remove(in []instance, i int32) {
	x := &in[i]
	if x.prev >= 0 {
		in[x.prev].next = x.next
	} else {
		l.head = x.next
	}
	if x.next >= 0 {
		in[x.next].prev = x.prev
	}
	x.prev, x.next, x.list = -1, -1, 0
}

// moveFront makes i the head (it must be in this list or in none).
func (l *ilist) moveFront(in []instance, i int32, tag uint8) {
	if l.head == i {
		return
	}
	if in[i].list == tag {
		l.remove(in, i)
	}
	l.pushFront(in, i, tag)
}
